// DequantizeLinear (opset 10 / 13): y = (x - zero_point) * scale, per tensor or per axis.
// The reader folds the common case (8-bit weight initializers with constant scales) into float
// constants, so this kernel runs only when some input is computed at run time. The engine holds
// every tensor as float32, so integer inputs arrive as float32 values (exact for 8-bit integers
// and for int32 up to 2^24).
// Not supported: blocked quantization (opset 21's block_size).
import { dequantize } from '../../model/quantization.js';
import { defineOp, fail, hasInput, intAttr, normAxis, size, unsupported, type OpContext } from '../op.js';

interface DequantizeAttributes {
  axis: number;
  hasZeroPoint: boolean;
}

function parse(ctx: OpContext): DequantizeAttributes {
  if (ctx.node.attributes.has('block_size')) unsupported(ctx, 'blocked quantization (block_size) is not supported');
  const x = ctx.inputShapes[0];
  const scales = size(ctx.inputShapes[1]);
  const hasZeroPoint = hasInput(ctx, 2);
  if (hasZeroPoint && size(ctx.inputShapes[2]) !== scales) fail(ctx, `x_zero_point has ${size(ctx.inputShapes[2])} values for ${scales} scales`);
  if (scales === 1) return { axis: 0, hasZeroPoint };
  const axis = normAxis(ctx, intAttr(ctx, 'axis', 1), x.length);
  if (ctx.inputShapes[1].length !== 1 || x[axis] !== scales) fail(ctx, `${scales} scales for axis ${axis} of shape [${x.join(', ')}]`);
  return { axis, hasZeroPoint };
}

export const DequantizeLinear = defineOp<DequantizeAttributes>({
  parse,
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: (a, ctx) => {
    const dims = ctx.inputShapes[0];
    return (inputs, outputs) => void dequantize(inputs[0], dims, inputs[1], a.hasZeroPoint ? inputs[2] : null, a.axis, outputs[0]);
  },
});
