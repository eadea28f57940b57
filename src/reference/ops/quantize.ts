// DequantizeLinear (opset 10 / 13): y = (x - zero_point) * scale, per tensor or per axis.
// The reader folds the common case (8-bit weight initializers) into float constants, so this
// kernel runs only when x is computed at run time. The engine holds every tensor as float32, so
// integer inputs arrive as float32 values (exact for 8-bit and for int32 up to 2^24).
// Not supported: a scale or zero point computed at run time, blocked quantization (opset 21).
import { dequantize } from '../../model/quantization.js';
import { defineOp, fail, hasInput, intAttr, normAxis, unsupported, type OpContext } from '../op.js';

interface DequantizeAttributes {
  axis: number;
  scale: Float32Array;
  zeroPoint: number[] | null;
}

function parse(ctx: OpContext): DequantizeAttributes {
  if (ctx.node.attributes.has('block_size')) unsupported(ctx, 'blocked quantization (block_size) is not supported');
  const scale = ctx.constants[1];
  if (!scale) unsupported(ctx, 'x_scale (input 1) must be an initializer');
  if (scale.kind !== 'float') fail(ctx, 'x_scale must be float');
  const zp = hasInput(ctx, 2) ? ctx.constants[2] : undefined;
  if (hasInput(ctx, 2) && !zp) unsupported(ctx, 'x_zero_point (input 2) must be an initializer');
  if (zp && zp.data.length !== scale.data.length) fail(ctx, `x_zero_point has ${zp.data.length} values for ${scale.data.length} scales`);
  const rank = ctx.inputShapes[0].length;
  const axis = scale.data.length > 1 ? normAxis(ctx, intAttr(ctx, 'axis', 1), rank) : 0;
  if (scale.data.length > 1 && ctx.inputShapes[0][axis] !== scale.data.length) {
    fail(ctx, `${scale.data.length} scales for axis ${axis} of size ${ctx.inputShapes[0][axis]}`);
  }
  return { axis, scale: scale.data, zeroPoint: zp ? Array.from(zp.data) : null };
}

export const DequantizeLinear = defineOp<DequantizeAttributes>({
  parse,
  outputShapes: (_a, ctx) => [ctx.inputShapes[0]],
  kernel: (a, ctx) => {
    const dims = ctx.inputShapes[0];
    return (inputs, outputs) => void dequantize(inputs[0], dims, a.scale, a.zeroPoint, a.axis, outputs[0]);
  },
});
