// SqueezeNet v1.0 (Iandola et al. 2016) as the Caffe deploy description defines it, and its
// Deep Compression weight file (Han, Mao, Dally 2016) decoded into dense float32 layers.
// File format: ../shared/models/squeezenet1_0-deep-compression/SOURCE.md.

export interface ConvSpec {
  /** ONNX node name, e.g. 'fire2/squeeze1x1'. */
  name: string;
  /** Layer name in the Caffe deploy prototxt, e.g. 'fire2/conv1x1_1'. */
  caffeName: string;
  outChannels: number;
  inChannels: number;
  kernel: number;
  stride: number;
  pad: number;
}

export interface FireSpec {
  name: string;
  squeeze: number;
  expand1x1: number;
  expand3x3: number;
}

/** fire2 .. fire9 with (squeeze, expand1x1, expand3x3) channels. */
export const FIRES: FireSpec[] = [
  { name: 'fire2', squeeze: 16, expand1x1: 64, expand3x3: 64 },
  { name: 'fire3', squeeze: 16, expand1x1: 64, expand3x3: 64 },
  { name: 'fire4', squeeze: 32, expand1x1: 128, expand3x3: 128 },
  { name: 'fire5', squeeze: 32, expand1x1: 128, expand3x3: 128 },
  { name: 'fire6', squeeze: 48, expand1x1: 192, expand3x3: 192 },
  { name: 'fire7', squeeze: 48, expand1x1: 192, expand3x3: 192 },
  { name: 'fire8', squeeze: 64, expand1x1: 256, expand3x3: 256 },
  { name: 'fire9', squeeze: 64, expand1x1: 256, expand3x3: 256 },
];

export const NUM_CLASSES = 1000;

/** The 26 convolutions in the order the .net file stores them. */
export function squeezenetConvs(): ConvSpec[] {
  const convs: ConvSpec[] = [
    { name: 'conv1', caffeName: 'conv1', outChannels: 96, inChannels: 3, kernel: 7, stride: 2, pad: 0 },
  ];
  let channels = 96;
  for (const f of FIRES) {
    convs.push(
      { name: `${f.name}/squeeze1x1`, caffeName: `${f.name}/conv1x1_1`, outChannels: f.squeeze, inChannels: channels, kernel: 1, stride: 1, pad: 0 },
      { name: `${f.name}/expand1x1`, caffeName: `${f.name}/conv1x1_2`, outChannels: f.expand1x1, inChannels: f.squeeze, kernel: 1, stride: 1, pad: 0 },
      { name: `${f.name}/expand3x3`, caffeName: `${f.name}/conv3x3_2`, outChannels: f.expand3x3, inChannels: f.squeeze, kernel: 3, stride: 1, pad: 1 },
    );
    channels = f.expand1x1 + f.expand3x3;
  }
  // The deploy prototxt gives conv_final pad 1 with a 1x1 kernel (13x13 -> 15x15); the weights were
  // trained that way, so the border ring of relu(bias) is part of the global average.
  convs.push({ name: 'conv10', caffeName: 'conv_final', outChannels: NUM_CLASSES, inChannels: channels, kernel: 1, stride: 1, pad: 1 });
  return convs;
}

export interface DecodedConv {
  spec: ConvSpec;
  /** [out, in, k, k] row-major. */
  weights: Float32Array;
  bias: Float32Array;
  /** Stored (non-zero-coded or gap-bridging) entries in the file. */
  stored: number;
}

export class WeightFileError extends Error {}

const CODEBOOK_SIZE = 256;

/**
 * Decodes the Deep Compression .net file: header of per-layer entry counts, then per layer a
 * 256-entry codebook, the bias, one 8-bit code per stored entry and 4-bit relative positions.
 * Every byte must be consumed; a short or long file is an error naming the layer.
 */
export function decodeSqueezenetWeights(file: Uint8Array): DecodedConv[] {
  const convs = squeezenetConvs();
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerBytes = convs.length * 4;
  if (file.byteLength < headerBytes) {
    throw new WeightFileError(
      `weight file is ${file.byteLength} bytes, shorter than its ${headerBytes}-byte header of ${convs.length} layer counts`,
    );
  }
  const counts = convs.map((_, i) => view.getUint32(i * 4, true));
  let offset = headerBytes;
  const need = (layer: ConvSpec, what: string, bytes: number): void => {
    if (offset + bytes > file.byteLength) {
      throw new WeightFileError(
        `weight file ends inside layer ${layer.name} (${layer.caffeName}) ${what}: needs ${bytes} bytes at offset ${offset}, file has ${file.byteLength}`,
      );
    }
  };
  return convs.map((spec, i) => {
    const size = spec.outChannels * spec.inChannels * spec.kernel * spec.kernel;
    const nz = counts[i];
    if (nz > size) {
      throw new WeightFileError(`layer ${spec.name} (${spec.caffeName}) claims ${nz} stored entries but has only ${size} weights`);
    }
    need(spec, 'codebook', CODEBOOK_SIZE * 4);
    const codebook = new Float32Array(CODEBOOK_SIZE);
    for (let k = 0; k < CODEBOOK_SIZE; k++) codebook[k] = view.getFloat32(offset + k * 4, true);
    offset += CODEBOOK_SIZE * 4;

    need(spec, 'bias', spec.outChannels * 4);
    const bias = new Float32Array(spec.outChannels);
    for (let k = 0; k < spec.outChannels; k++) bias[k] = view.getFloat32(offset + k * 4, true);
    offset += spec.outChannels * 4;

    need(spec, 'codes', nz);
    const codes = file.subarray(offset, offset + nz);
    offset += nz;

    const indexBytes = Math.ceil(nz / 2);
    need(spec, 'index stream', indexBytes);
    const gaps = file.subarray(offset, offset + indexBytes);
    offset += indexBytes;

    // Every position the stream does not reach keeps code 0, i.e. codebook[0].
    const weights = new Float32Array(size).fill(codebook[0]);
    let pos = -1;
    for (let k = 0; k < nz; k++) {
      const byte = gaps[k >> 1];
      const gap = k & 1 ? byte >> 4 : byte & 0x0f; // low nibble first
      pos += gap + 1;
      if (pos >= size) {
        throw new WeightFileError(
          `layer ${spec.name} (${spec.caffeName}): entry ${k} of ${nz} lands at position ${pos}, past the layer's ${size} weights`,
        );
      }
      weights[pos] = codebook[codes[k]];
    }
    return { spec, weights, bias, stored: nz };
  }).map((layer, i, all) => {
    if (i === all.length - 1 && offset !== file.byteLength) {
      throw new WeightFileError(
        `weight file has ${file.byteLength - offset} bytes left over after the last layer ${layer.spec.name} (${layer.spec.caffeName}); expected exactly ${offset} bytes`,
      );
    }
    return layer;
  });
}
