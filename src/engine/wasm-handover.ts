// onnxruntime-web takes its wasm either as bytes (env.wasm.wasmBinary) or as a URL it fetches
// itself. Bytes mean WebAssembly.instantiate(bytes): the 14 MB module is compiled from scratch on
// every start. Compiled with compileStreaming from a Cache Storage response, Chromium keeps the
// compiled code beside the cache entry and loads it on the next start: measured with
// `npm run bench -- startup` on a 2-core machine, the runtime's compile went from ~270 ms to
// ~140-150 ms on a start from the service worker. (The first inferences of a start stay slower
// than later ones, ~160 ms against ~45 ms for SqueezeNet: the cache does not hold every function
// in its optimised form.) So the runtime's module is compiled here and handed to onnxruntime
// through its bytes option: a small stand-in buffer, which the one instantiate call that receives
// it turns into the compiled module. Every other instantiate call passes through untouched. The
// module may be handed over while it still compiles: that instantiate call waits for it, and
// onnxruntime's start-up up to there (its wasm threads load their script) overlaps the compile.

/** Compiles a wasm response, streaming where the browser can (it needs Content-Type application/wasm). */
export async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(response);
  // A host that serves .wasm under another type: compile the bytes (no code cache, still correct).
  return WebAssembly.compile(await response.arrayBuffer());
}

type Instantiate = typeof WebAssembly.instantiate;

/** Stand-in buffer -> the module it stands for. */
const standIns = new WeakMap<ArrayBufferLike, WebAssembly.Module | Promise<WebAssembly.Module>>();
let original: Instantiate | null = null;

function install(): void {
  if (original) return;
  const passThrough = WebAssembly.instantiate.bind(WebAssembly) as Instantiate;
  original = passThrough;
  const instantiate = async (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    // Emscripten passes the bytes it was given as a Uint8Array over that buffer.
    const buffer = source instanceof ArrayBuffer ? source : ArrayBuffer.isView(source) ? source.buffer : null;
    const standsFor = buffer ? standIns.get(buffer) : undefined;
    if (!standsFor) return passThrough(source as BufferSource, imports);
    const module = await standsFor;
    return { module, instance: await passThrough(module, imports) };
  };
  WebAssembly.instantiate = instantiate as Instantiate;
}

/**
 * A buffer to give onnxruntime as env.wasm.wasmBinary: instantiating it instantiates `module`, once
 * compiled (resolving to { module, instance } as for bytes, so onnxruntime's threads get the module
 * too; rejecting with the compile's error if it fails).
 */
export function handOver(module: WebAssembly.Module | Promise<WebAssembly.Module>): ArrayBuffer {
  install();
  const standIn = new ArrayBuffer(8);
  standIns.set(standIn, module);
  return standIn;
}
