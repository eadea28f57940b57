// MobileNetV2 1.0 224 (quantized TensorFlow Lite, google-coral/test_data) as an ONNX model with
// its manifest data: converted by our own TFLite reader and converter, 8-bit weights kept.
import type { PreprocessSpec } from './manifest.js';
import { readTflite } from './tflite/read-tflite.js';
import { tfliteToOnnx, type ConvertedModel } from './tflite/tflite-to-onnx.js';

export const MOBILENET_V2_ID = 'mobilenet_v2';

/**
 * TF-slim's ImageNet evaluation, behind the published accuracy: the central 87.5 % of each side,
 * stretched to 224 x 224 with TensorFlow 1's resize_bilinear (no antialiasing), RGB, (x - 128) / 128, the real value of the quantized input
 * (scale 1/128, zero point 128). resizeShortSide is what the crop rule implies for the short side
 * (224 / 0.875), kept for views that show a resize size.
 */
export const MOBILENET_V2_PREPROCESS: PreprocessSpec = {
  crop: { kind: 'central-fraction', fraction: 0.875 },
  resample: 'bilinear',
  resizeShortSide: 256,
  cropWidth: 224,
  cropHeight: 224,
  channelOrder: 'RGB',
  scale: 1,
  mean: [128, 128, 128],
  std: [128, 128, 128],
};

/** Output 0 is "background"; output i >= 1 is ImageNet class i - 1. */
export function mobilenetV2Labels(imagenetLabels: readonly string[]): string[] {
  if (imagenetLabels.length !== 1000) throw new Error(`MobileNetV2 needs the 1000 ImageNet class names, got ${imagenetLabels.length}`);
  return ['background', ...imagenetLabels];
}

export function mobilenetV2Onnx(tflite: Uint8Array, metadata: Record<string, string> = {}): ConvertedModel {
  const converted = tfliteToOnnx(readTflite(tflite), {
    graphName: MOBILENET_V2_ID,
    docString:
      'MobileNetV2 1.0 224 (Sandler et al. 2018), quantized TensorFlow Lite weights from google-coral/test_data (Apache-2.0), converted by cnn-lens.',
    metadata,
  });
  if (converted.outputShape.join() !== 'N,1001') {
    throw new Error(`the converted model outputs [${converted.outputShape.join(', ')}], expected [N, 1001]`);
  }
  return converted;
}
