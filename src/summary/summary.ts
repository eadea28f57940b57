// Model summary in the torchinfo style, as data: one row per layer (shapes, kernel / stride /
// padding, parameters, multiply-adds, receptive field) and totals. The app shows the rows as a
// table; formatSummary (format.ts) renders the same rows as text.
import type { Shape, ShapedGraph } from '../model/onnx-read.js';
import type { WindowGeometry } from '../reference/op.js';
import { bindNode } from '../reference/op-table.js';
import { effectiveKernel, lastCoveredIndex, outputSize } from '../reference/geometry.js';
import { globalField, inputField, propagateField, widestField, type ReceptiveField } from './receptive-field.js';

/** Whether a window op's (N - F + P_begin + P_end) / S + 1 is an integer on each axis. */
export interface WindowCoverage {
  exact: boolean;
  /** Input rows / columns (at the bottom / right) that no window ever covers. */
  uncoveredRows: number;
  uncoveredCols: number;
  /** The unrounded output size per axis [H, W], e.g. 55.25. */
  exactOutput: [number, number];
}

export interface SummaryRow {
  index: number;
  name: string;
  type: string;
  /** Shape of the first (data) input. */
  inputShape: Shape;
  outputShape: Shape;
  /** For sliding-window ops (Conv, MaxPool, AveragePool). */
  window?: WindowGeometry & { group?: number };
  coverage?: WindowCoverage;
  params: number;
  macs: number;
  receptiveField: ReceptiveField;
}

export interface SummaryTotals {
  params: number;
  trainableParams: number;
  /** Buffers such as BatchNormalization's running mean and variance. */
  nonTrainableParams: number;
  macs: number;
  /** Parameters as float32, in MB (10^6 bytes, as torchinfo). */
  paramsMB: number;
  trainableMB: number;
  inputMB: number;
  /** All layer outputs of one forward pass, float32. */
  forwardPassMB: number;
  estimatedTotalMB: number;
}

export interface ModelSummary {
  name: string;
  input: { name: string; shape: Shape };
  rows: SummaryRow[];
  totals: SummaryTotals;
}

/** Inputs that are constants of the op's definition rather than learned parameters. */
function nonParameterInput(opType: string, index: number): 'skip' | 'buffer' | 'param' {
  if (opType === 'Clip' || opType === 'Reshape' || opType === 'Dropout') return index === 0 ? 'param' : 'skip';
  if (opType === 'BatchNormalization' && index >= 3) return 'buffer';
  return 'param';
}

const MB = 1e6;

export function summarizeModel(graph: ShapedGraph): ModelSummary {
  const input = graph.inputs[0];
  const inputShape = graph.shapes.get(input.name)!;
  const [inH, inW] = inputShape.length === 4 ? [inputShape[2], inputShape[3]] : [1, 1];
  const fields = new Map<string, ReceptiveField>([[input.name, inputShape.length === 4 ? inputField(inH, inW) : globalField(inH, inW)]]);
  const counted = new Set<string>();
  const rows: SummaryRow[] = [];
  let trainable = 0;
  let buffers = 0;
  let forward = 0;

  graph.nodes.forEach((node, index) => {
    const { op, inputShapes } = bindNode(node, graph, graph.shapes);
    let params = 0;
    node.inputs.forEach((name, i) => {
      const c = name ? graph.initializers.get(name) : undefined;
      if (!c || c.kind !== 'float' || counted.has(name)) return;
      const role = nonParameterInput(node.opType, i);
      if (role === 'skip') return;
      counted.add(name);
      if (role === 'buffer') buffers += c.data.length;
      else params += c.data.length;
    });
    trainable += params;
    const runtimeInputs = node.inputs.filter((n) => n && fields.has(n));
    const inField = runtimeInputs.length ? widestField(runtimeInputs.map((n) => fields.get(n)!)) : globalField(inH, inW);
    const outShape = op.outputShapes[0];
    const field = propagateField(inField, op.geometry, outShape.length);
    for (const o of node.outputs) if (o) fields.set(o, field);
    for (const s of op.outputShapes) forward += s.reduce((a, b) => a * b, 1) * 4;

    const row: SummaryRow = {
      index,
      name: node.name,
      type: node.opType,
      inputShape: inputShapes[0],
      outputShape: outShape,
      params,
      macs: op.macs,
      receptiveField: field,
    };
    if (op.geometry.kind === 'window') {
      const g = op.geometry;
      const group = node.opType === 'Conv' ? Number(node.attributes.get('group') ?? 1) : undefined;
      row.window = { ...g, ...(group !== undefined ? { group } : {}) };
      row.coverage = windowCoverage(g, inputShapes[0][2], inputShapes[0][3], outShape[2], outShape[3]);
    }
    rows.push(row);
  });

  const inputMB = (inputShape.reduce((a, b) => a * b, 1) * 4) / MB;
  const paramsMB = ((trainable + buffers) * 4) / MB;
  return {
    name: graph.name,
    input: { name: input.name, shape: inputShape },
    rows,
    totals: {
      params: trainable + buffers,
      trainableParams: trainable,
      nonTrainableParams: buffers,
      macs: rows.reduce((t, r) => t + r.macs, 0),
      paramsMB,
      trainableMB: (trainable * 4) / MB,
      inputMB,
      forwardPassMB: forward / MB,
      estimatedTotalMB: inputMB + paramsMB + forward / MB,
    },
  };
}

/**
 * The output size (N - F_eff + P_begin + P_end) / S + 1 per axis (../reference/geometry.ts); when it
 * is not an integer the last partial window is dropped (floor), and the input rows / columns past
 * the last window are never seen.
 */
export function windowCoverage(g: WindowGeometry, inH: number, inW: number, outH: number, outW: number): WindowCoverage {
  const axis = (i: 0 | 1, n: number, out: number): { exact: number; integer: boolean; uncovered: number } => {
    const f = effectiveKernel(g.kernel[i], g.dilation[i]);
    const { exact, integer } = outputSize(n, f, g.padBegin[i], g.padEnd[i], g.stride[i]);
    return { exact, integer, uncovered: Math.max(0, n - 1 - lastCoveredIndex(out, f, g.padBegin[i], g.stride[i])) };
  };
  const h = axis(0, inH, outH);
  const w = axis(1, inW, outW);
  return {
    exact: h.integer && w.integer,
    uncoveredRows: h.uncovered,
    uncoveredCols: w.uncovered,
    exactOutput: [h.exact, w.exact],
  };
}
