// metadata_props keys this app writes into a model it makes (a taught model) and reads back when
// any ONNX file is opened: the class names and the preprocessing travel inside the file.
/** JSON array of the class names, in output order. */
export const LABELS_METADATA_KEY = 'cnn_lens.labels';
/** JSON of the manifest's preprocess object (src/model/manifest.ts). */
export const PREPROCESSING_METADATA_KEY = 'cnn_lens.preprocessing';
