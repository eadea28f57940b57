// Where the build put each onnxruntime wasm (browser builds only: Vite resolves the ?url imports,
// and emits each file once, the same file the runtime's own reference points to).
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import wasmOnlyUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { RuntimeVariant } from './ort-runtime.js';

export const ORT_WASM_URLS: Record<RuntimeVariant, string> = { wasm: wasmOnlyUrl, webgpu: jsepWasmUrl };
