// The graph interpreter: binds every node of a shaped graph to a kernel and a preallocated output
// buffer once, then runs frames without allocating. The inspector asks it to stop after a node,
// for intermediate tensors by name and for the time each node took.
//
// Conv + activation fusion: a Conv whose only reader is the next node, a Relu or a Clip with
// constant bounds (Relu6), can store act(conv) straight into that node's output (one pass over the
// output instead of two; same bits; kernels/fused-activation.ts). The
// engine does so in a run only when that run does not ask for the Conv's own output (`want`) and
// does not stop after the Conv; otherwise both nodes run as written. A fused run leaves the Conv's
// output buffer holding an older frame.
import type { GraphNode, ReadOptions, Shape, ShapedGraph } from '../model/onnx-read.js';
import { readOnnx } from './load-graph.js';
import { ModelError } from '../model/model-error.js';
import { size, type BoundOp, type Kernel, type PartKernel } from './op.js';
import { bindNode } from './op-table.js';
import { whatIfPool, type PoolType } from './ops/pool.js';
import type { NodeTiming, Tensor } from './tensor.js';
import { Workspace } from './workspace.js';

export interface Layer {
  node: GraphNode;
  op: BoundOp;
  inputShapes: Shape[];
  outputShapes: Shape[];
  kernel: Kernel;
  inputs: Float32Array[];
  outputs: Float32Array[];
  /** The kernel split into parts, for ops that can run across several workers. */
  partKernel?: PartKernel;
  /** Set when the next layer is an activation this layer can apply as it stores (see the top of this file). */
  fused?: PartKernel;
}

export interface EngineOptions {
  /**
   * Activation memory: 'private' (default) allocates ordinary arrays; 'shared' allocates every
   * graph input and node output on a SharedArrayBuffer (see sharedBuffers()); a record of such
   * buffers by tensor name makes this engine use another engine's shared memory (a helper worker).
   */
  memory?: 'private' | 'shared' | Record<string, SharedArrayBuffer>;
}

/** Runs some layers across workers: part 0 on the calling thread, the others on helpers. */
export interface LayerPool {
  readonly parts: number;
  /** Whether layer i is worth splitting. */
  splits(layerIndex: number): boolean;
  /** Runs every part of layer i (its Conv + activation kernel when fused) and returns once all are done. */
  runLayer(layerIndex: number, fused?: boolean): void;
}

export interface RunOptions {
  /** Stop once this node has run; later nodes keep their previous frame's values. */
  stopAfter?: string;
  /** Tensor names (node outputs or inputs) to return as copies; 'all' returns every one computed. */
  want?: readonly string[] | 'all';
  /** Where the copies of wanted tensors go: an array of the given length (default: new memory). */
  allocate?: (length: number) => Float32Array;
}

export interface RunResult {
  tensors: Record<string, Tensor>;
  timings: NodeTiming[];
  totalMs: number;
  /** The graph outputs when the whole graph ran; empty when stopped early. */
  outputs: Record<string, Tensor>;
}

export class ReferenceEngine {
  readonly layers: readonly Layer[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly buffers = new Map<string, Float32Array>();
  private readonly workspace = new Workspace();
  private readonly layerByName = new Map<string, number>();
  private readonly shared = new Map<string, SharedArrayBuffer>();
  private pool: LayerPool | null = null;

  constructor(
    readonly graph: ShapedGraph,
    options: EngineOptions = {},
  ) {
    this.inputNames = graph.inputs.map((i) => i.name);
    this.outputNames = graph.outputs.map((o) => o.name);
    const memory = options.memory ?? 'private';
    const allocate = (name: string, n: number): Float32Array => {
      if (memory === 'private' || !name) return new Float32Array(n);
      let sab: SharedArrayBuffer;
      if (memory === 'shared') sab = new SharedArrayBuffer(n * 4);
      else {
        sab = memory[name];
        if (!sab || sab.byteLength !== n * 4) throw new Error(`shared buffer for "${name}" is missing or has the wrong size`);
      }
      this.shared.set(name, sab);
      return new Float32Array(sab);
    };
    for (const name of this.inputNames) this.buffers.set(name, allocate(name, size(graph.shapes.get(name)!)));
    for (const [name, c] of graph.initializers) {
      if (c.kind === 'float') this.buffers.set(name, c.data);
    }
    const layers: Layer[] = [];
    for (const node of graph.nodes) {
      const { op, inputShapes } = bindNode(node, graph, graph.shapes);
      const inputs = node.inputs.map((n) => {
        if (!n) return new Float32Array(0);
        const b = this.buffers.get(n);
        if (!b) {
          const c = graph.initializers.get(n);
          // Integer initializers (Reshape's shape) are read at bind time; kernels never see them.
          if (c && c.kind === 'int') return Float32Array.from(c.data);
          throw new ModelError('invalid-model', `node "${node.name}" reads "${n}", which has no value`, node.name, node.opType);
        }
        return b;
      });
      const outputs = op.outputShapes.map((s, i) => {
        const b = allocate(node.outputs[i] ?? '', size(s));
        if (node.outputs[i]) this.buffers.set(node.outputs[i], b);
        return b;
      });
      this.layerByName.set(node.name, layers.length);
      layers.push({ node, op, inputShapes, outputShapes: op.outputShapes, kernel: op.createKernel(), inputs, outputs, partKernel: op.createPartKernel?.() });
    }
    this.layers = layers;
    this.findFusions(graph);
  }

  /** Marks each Conv whose output is read only by the Relu or Clip right after it (see the top of this file). */
  private findFusions(graph: ShapedGraph): void {
    const readers = new Map<string, number>();
    for (const node of graph.nodes) for (const n of node.inputs) if (n) readers.set(n, (readers.get(n) ?? 0) + 1);
    const layers = this.layers;
    for (let i = 0; i + 1 < layers.length; i++) {
      const [layer, next] = [layers[i], layers[i + 1]];
      const t = layer.node.outputs[0];
      const act = next.op.activation;
      if (!act || !t || next.node.inputs[0] !== t) continue;
      if (readers.get(t) !== 1 || this.outputNames.includes(t) || layer.node.outputs.length !== 1) continue;
      const fused = layer.op.createFusedPartKernel?.(act);
      if (fused) layer.fused = fused;
    }
  }

  static load(bytes: Uint8Array, options?: ReadOptions, engineOptions?: EngineOptions): ReferenceEngine {
    return new ReferenceEngine(readOnnx(bytes, options), engineOptions);
  }

  /** The shared activation buffers by tensor name (empty unless built with memory 'shared' or a record). */
  sharedBuffers(): Record<string, SharedArrayBuffer> {
    return Object.fromEntries(this.shared);
  }

  /** Splits the layers the pool chooses across its workers from the next run on; null runs alone. */
  setPool(pool: LayerPool | null): void {
    this.pool = pool;
  }

  /**
   * Runs part `part` of `parts` of layer i (helpers call this; the layer must have a partKernel);
   * with `fused`, its fused kernel, writing the next layer's (the activation's) output.
   */
  runPart(layerIndex: number, part: number, parts: number, fused = false): void {
    const layer = this.layers[layerIndex];
    if (fused) {
      if (!layer.fused) throw new Error(`layer ${layer.node.name} (${layer.node.opType}) has no fused activation`);
      layer.fused(layer.inputs, this.layers[layerIndex + 1].outputs, this.workspace, part, parts);
      return;
    }
    if (!layer.partKernel) throw new Error(`layer ${layer.node.name} (${layer.node.opType}) cannot be split`);
    layer.partKernel(layer.inputs, layer.outputs, this.workspace, part, parts);
  }

  shapeOf(name: string): Shape | undefined {
    return this.graph.shapes.get(name);
  }

  /**
   * The last computed value of a tensor, without copying (valid until the next run). A Conv output
   * fused with its activation in the last run (not wanted) holds an older frame: ask for it with `want`.
   */
  view(name: string): Tensor | undefined {
    const data = this.buffers.get(name);
    const dims = this.graph.shapes.get(name) ?? this.graph.initializers.get(name)?.dims;
    return data && dims ? { dims, data } : undefined;
  }

  /** Runs one frame. `input` is the single graph input's data, or data by input name. */
  run(input: Float32Array | Record<string, Float32Array>, options: RunOptions = {}): RunResult {
    const given = input instanceof Float32Array ? { [this.inputNames[0]]: input } : input;
    for (const name of this.inputNames) {
      const data = given[name];
      const buffer = this.buffers.get(name)!;
      if (!data) throw new Error(`missing input "${name}"`);
      if (data.length !== buffer.length) {
        throw new Error(`input "${name}" has ${data.length} values; shape [${this.graph.shapes.get(name)!.join(', ')}] needs ${buffer.length}`);
      }
      buffer.set(data);
    }
    let last = this.layers.length - 1;
    if (options.stopAfter !== undefined) {
      const i = this.layerByName.get(options.stopAfter);
      if (i === undefined) throw new Error(`no node named "${options.stopAfter}"`);
      last = i;
    }
    const timings: NodeTiming[] = [];
    const pool = this.pool;
    const wanted = options.want === 'all' ? null : new Set(options.want ?? []);
    const t0 = performance.now();
    for (let i = 0; i <= last; i++) {
      const layer = this.layers[i];
      const start = performance.now();
      const split = pool !== null && layer.partKernel !== undefined && pool.splits(i);
      // Fused only when the activation runs too (i < last) and the Conv's own output is not asked for.
      if (layer.fused && i < last && wanted !== null && !wanted.has(layer.node.outputs[0])) {
        if (split) pool.runLayer(i, true);
        else layer.fused(layer.inputs, this.layers[i + 1].outputs, this.workspace, 0, 1);
        timings.push({ node: layer.node.name, opType: layer.node.opType, ms: performance.now() - start });
        const activation = this.layers[++i].node;
        timings.push({ node: activation.name, opType: activation.opType, ms: 0, fusedInto: layer.node.name });
        continue;
      }
      if (split) pool.runLayer(i);
      else layer.kernel(layer.inputs, layer.outputs, this.workspace);
      timings.push({ node: layer.node.name, opType: layer.node.opType, ms: performance.now() - start });
    }
    const totalMs = performance.now() - t0;

    const tensors: Record<string, Tensor> = {};
    const computed = new Set<string>(this.inputNames);
    for (let i = 0; i <= last; i++) for (const o of this.layers[i].node.outputs) if (o) computed.add(o);
    const names = options.want === 'all' ? [...computed] : (options.want ?? []);
    for (const name of names) {
      if (!computed.has(name)) {
        throw new Error(this.buffers.has(name) ? `tensor "${name}" is not computed when stopping after "${options.stopAfter}"` : `no tensor named "${name}"`);
      }
      const t = this.view(name)!;
      const data = options.allocate?.(t.data.length) ?? new Float32Array(t.data.length);
      data.set(t.data);
      tensors[name] = { dims: [...t.dims], data };
    }
    const outputs: Record<string, Tensor> = {};
    if (last === this.layers.length - 1) {
      for (const name of this.outputNames) {
        const t = this.view(name);
        if (t) outputs[name] = { dims: [...t.dims], data: t.data.slice() };
      }
    }
    return { tensors, timings, totalMs, outputs };
  }

  /** The pooling what-if (ops/pool.ts) on a node's input from the last run. */
  whatIfPool(nodeName: string): { type: PoolType; tensor: Tensor } {
    const i = this.layerByName.get(nodeName);
    if (i === undefined) throw new Error(`no node named "${nodeName}"`);
    const layer = this.layers[i];
    return whatIfPool({ ...layer, input: layer.inputs[0] }, this.graph.opset);
  }
}
