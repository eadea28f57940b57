// The device's logical cores as the browser reports them, 1 where it does not say (or outside a
// browser): what the WASM threads, where frames are preprocessed and the inspector's budget follow.
export function deviceCores(): number {
  return (typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0) || 1;
}
