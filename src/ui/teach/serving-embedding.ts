// The model as served while teaching: the active model with its penultimate features as an extra
// output (withEmbeddingOutput), so the inference worker returns the embedding from the same run
// that classifies the frame. The graph surgery happens here, on the page, before the load: the
// engine layer only learns the name of one more output to send back.
import { onnx } from '../../model/generated/onnx-pb';
import { withEmbeddingOutput } from '../../teach/embedding-output';
import { HEAD_METADATA_KEY, parseHeadMetadata } from '../../teach/taught-metadata';

export type ServedEmbedding =
  | {
      ok: true;
      /** The model with the extra output, as its own buffer. */
      bytes: ArrayBuffer;
      output: string;
      dim: number;
      /** Whose features these are: examples taught on one base model fit only that base. */
      baseModelId: string;
      featureTensor: string;
    }
  | { ok: false; error: string };

/** Adds the embedding output; a model without a recognisable classifier gets the reason instead. */
export function servingWithEmbedding(bytes: Uint8Array, manifestId: string): ServedEmbedding {
  try {
    const served = withEmbeddingOutput(bytes);
    return {
      ok: true,
      bytes: served.bytes.slice().buffer as ArrayBuffer,
      output: served.embeddingOutput,
      dim: served.info.dim,
      baseModelId: baseModelOf(bytes) ?? manifestId,
      featureTensor: served.info.featureTensor,
    };
  } catch (err) {
    return { ok: false, error: `this model cannot be taught: ${(err as Error).message}` };
  }
}

/** A taught model's features are its base model's: its examples and new ones mix. */
function baseModelOf(bytes: Uint8Array): string | null {
  const meta = onnx.ModelProto.decode(bytes).metadataProps?.find((p) => p.key === HEAD_METADATA_KEY);
  return meta?.value ? parseHeadMetadata(meta.value).baseModel : null;
}
