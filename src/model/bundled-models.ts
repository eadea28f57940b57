// The models `npm run model` builds into public/models/<id>/ and the app can start on
// (`?model=<id>`); the first is the default.
export const BUNDLED_MODELS = ['squeezenet1_0', 'mobilenet_v2'] as const;
export type BundledModelId = (typeof BUNDLED_MODELS)[number];
export const DEFAULT_MODEL_ID: BundledModelId = 'squeezenet1_0';

export function isBundledModel(id: string): id is BundledModelId {
  return (BUNDLED_MODELS as readonly string[]).includes(id);
}
