// The contract every op family implements: parse attributes, compute output shapes (the shape
// inference the reader runs), and build a kernel that runs on preallocated Float32Arrays.
import type { AttributeValue, ConstantTensor, GraphNode, Shape } from '../model/onnx-read.js';
import { ModelError } from '../model/model-error.js';
import type { Activation } from './kernels/fused-activation.js';
import type { Workspace } from './workspace.js';

export interface OpContext {
  node: GraphNode;
  inputShapes: Shape[];
  /** The initializer behind each input, when it is one (weights, Reshape's shape, Clip's bounds). */
  constants: (ConstantTensor | undefined)[];
  opset: number;
}

/** Runs one node; inputs and outputs are the engine's buffers, reused from frame to frame. */
export type Kernel = (inputs: Float32Array[], outputs: Float32Array[], workspace: Workspace) => void;

/**
 * Runs part `part` of `parts` of one node (e.g. a range of a conv's output columns), so that
 * several workers sharing the input and output buffers compute one node together. The parts
 * write disjoint output elements and together compute exactly what the whole Kernel computes.
 */
export type PartKernel = (inputs: Float32Array[], outputs: Float32Array[], workspace: Workspace, part: number, parts: number) => void;

/** Sliding-window geometry per spatial axis [H, W], for the summary and receptive fields. */
export interface WindowGeometry {
  kind: 'window';
  kernel: [number, number];
  stride: [number, number];
  padBegin: [number, number];
  padEnd: [number, number];
  dilation: [number, number];
}

/** How an op moves spatial positions: window ops slide, 'global' sees everything, 'pointwise' keeps them. */
export type SpatialGeometry = WindowGeometry | { kind: 'global' } | { kind: 'pointwise' };

export interface OpDefinition<A> {
  parse(ctx: OpContext): A;
  outputShapes(attrs: A, ctx: OpContext): Shape[];
  kernel(attrs: A, ctx: OpContext, outputShapes: Shape[]): Kernel;
  /** Optional split form of the kernel for multi-worker runs (heavy ops only). */
  partKernel?(attrs: A, ctx: OpContext, outputShapes: Shape[]): PartKernel;
  /**
   * Optional split kernel that also applies an activation to its output as it stores it (the
   * engine fuses a following Relu or Clip node into it); null where this node's kernel cannot.
   */
  fusedPartKernel?(attrs: A, ctx: OpContext, outputShapes: Shape[], act: Activation): PartKernel | null;
  /** For activation ops: the activation a kernel before it can apply instead (null: not fusable). */
  activation?(attrs: A, ctx: OpContext): Activation | null;
  geometry?(attrs: A, ctx: OpContext): SpatialGeometry;
  /** Multiply-adds per run (torchinfo counts them for conv and linear layers only). */
  macs?(attrs: A, ctx: OpContext, outputShapes: Shape[]): number;
}

export interface BoundOp {
  outputShapes: Shape[];
  geometry: SpatialGeometry;
  macs: number;
  /** Describes attributes for display (kernel, pads, axis...). */
  attributes: unknown;
  createKernel(): Kernel;
  /** Present when the op can be split across workers. */
  createPartKernel?: () => PartKernel;
  /** Present when the op can store act(output) directly; null where this node cannot. */
  createFusedPartKernel?: (act: Activation) => PartKernel | null;
  /** Set for an activation op that a kernel before it can apply as it stores (Relu, Clip with constant bounds). */
  activation: Activation | null;
}

export interface OpEntry {
  bind(ctx: OpContext): BoundOp;
}

/** Erases the attribute type so ops with different attributes share one table. */
export function defineOp<A>(def: OpDefinition<A>): OpEntry {
  return {
    bind(ctx: OpContext): BoundOp {
      const attrs = def.parse(ctx);
      const outputShapes = def.outputShapes(attrs, ctx);
      return {
        outputShapes,
        attributes: attrs,
        geometry: def.geometry ? def.geometry(attrs, ctx) : { kind: 'pointwise' },
        macs: def.macs ? def.macs(attrs, ctx, outputShapes) : 0,
        createKernel: () => def.kernel(attrs, ctx, outputShapes),
        createPartKernel: def.partKernel ? () => def.partKernel!(attrs, ctx, outputShapes) : undefined,
        createFusedPartKernel: def.fusedPartKernel ? (act) => def.fusedPartKernel!(attrs, ctx, outputShapes, act) : undefined,
        activation: def.activation ? def.activation(attrs, ctx) : null,
      };
    },
  };
}

/** The range [begin, end) of `count` items (e.g. GEMM column panels) that part `part` of `parts` owns. */
export function partRange(count: number, part: number, parts: number): [number, number] {
  return [Math.floor((count * part) / parts), Math.floor((count * (part + 1)) / parts)];
}

export function size(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function fail(ctx: OpContext, message: string): never {
  throw new ModelError('invalid-model', `node "${ctx.node.name}" (${ctx.node.opType}): ${message}`, ctx.node.name, ctx.node.opType);
}

export function unsupported(ctx: OpContext, message: string): never {
  throw new ModelError(
    'unsupported-op',
    `unsupported op ${ctx.node.opType} at node "${ctx.node.name}": ${message}`,
    ctx.node.name,
    ctx.node.opType,
  );
}

function attr(ctx: OpContext, name: string): AttributeValue | undefined {
  return ctx.node.attributes.get(name);
}

export function intAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = attr(ctx, name);
  if (v === undefined) return fallback;
  if (typeof v !== 'number') fail(ctx, `attribute ${name} must be an integer`);
  return v;
}

export function floatAttr(ctx: OpContext, name: string, fallback: number): number {
  const v = attr(ctx, name);
  if (v === undefined) return fallback;
  if (typeof v !== 'number') fail(ctx, `attribute ${name} must be a number`);
  return v;
}

export function intsAttr(ctx: OpContext, name: string, fallback: number[] | undefined): number[] | undefined {
  const v = attr(ctx, name);
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) fail(ctx, `attribute ${name} must be a list of integers`);
  return v as number[];
}

export function stringAttr(ctx: OpContext, name: string, fallback: string): string {
  const v = attr(ctx, name);
  if (v === undefined) return fallback;
  if (typeof v !== 'string') fail(ctx, `attribute ${name} must be a string`);
  return v;
}

/** Normalises a possibly negative axis against a rank, as ONNX allows axis in [-r, r-1]. */
export function normAxis(ctx: OpContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(ctx, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

export function floatConstant(ctx: OpContext, index: number, what: string): Float32Array {
  const c = ctx.constants[index];
  if (!c) unsupported(ctx, `${what} (input ${index}) must be an initializer`);
  if (c.kind !== 'float') fail(ctx, `${what} must be float`);
  return c.data;
}

export function hasInput(ctx: OpContext, index: number): boolean {
  return index < ctx.node.inputs.length && ctx.node.inputs[index] !== '';
}
