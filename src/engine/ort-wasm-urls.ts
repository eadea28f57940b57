// Where the build put each onnxruntime wasm (browser builds only: Vite resolves the ?url imports,
// and emits each file once, the same file the runtime's own reference points to).
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import wasmOnlyUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

/** By runtime variant (ort-runtime.ts). */
export const ORT_WASM_URLS = { wasm: wasmOnlyUrl, webgpu: jsepWasmUrl } as const;
