import { describe, expect, it } from 'vitest';
import { compileResponse, handOver } from './wasm-handover.js';

/** (module (func (export "answer") (result i32) i32.const 42)), encoded by hand. */
const ANSWER_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type section: () -> i32
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00, // export "answer" = function 0
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code: i32.const 42, end
]);

const answer = (instance: WebAssembly.Instance) => (instance.exports.answer as () => number)();

describe('compileResponse', () => {
  it('compiles a response served as application/wasm (streaming)', async () => {
    const module = await compileResponse(new Response(ANSWER_WASM, { headers: { 'Content-Type': 'application/wasm' } }));
    expect(WebAssembly.Module.exports(module)).toEqual([{ name: 'answer', kind: 'function' }]);
    expect(answer(await WebAssembly.instantiate(module))).toBe(42);
  });

  it('compiles the bytes of a response served under another type (streaming would refuse it)', async () => {
    const response = new Response(ANSWER_WASM, { headers: { 'Content-Type': 'application/octet-stream' } });
    await expect(WebAssembly.compileStreaming(response.clone())).rejects.toThrow();
    expect(answer(await WebAssembly.instantiate(await compileResponse(response)))).toBe(42);
  });

  it('refuses bytes that are not wasm', async () => {
    await expect(compileResponse(new Response('<html>not found</html>', { headers: { 'Content-Type': 'text/html' } }))).rejects.toThrow(WebAssembly.CompileError);
  });
});

describe('handOver', () => {
  it('instantiating the stand-in (as onnxruntime does with wasmBinary) gives the compiled module and its instance', async () => {
    const module = await WebAssembly.compile(ANSWER_WASM);
    const standIn = handOver(module);
    expect(standIn.byteLength).toBeLessThan(ANSWER_WASM.byteLength);
    // Emscripten hands the bytes over as a Uint8Array view of the buffer it was given.
    const viaView = await WebAssembly.instantiate(new Uint8Array(standIn), {});
    expect(viaView.module).toBe(module);
    expect(answer(viaView.instance)).toBe(42);
    const viaBuffer = await WebAssembly.instantiate(standIn);
    expect(viaBuffer.module).toBe(module);
  });

  it('a module still compiling: instantiating the stand-in waits for it, or fails with its error', async () => {
    let finish!: (m: WebAssembly.Module) => void;
    const compiling = new Promise<WebAssembly.Module>((resolve) => (finish = resolve));
    let settled = false;
    const pending = WebAssembly.instantiate(new Uint8Array(handOver(compiling)), {}).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    const module = await WebAssembly.compile(ANSWER_WASM);
    finish(module);
    const { module: got, instance } = await pending;
    expect(got).toBe(module);
    expect(answer(instance)).toBe(42);

    const failed = Promise.reject(new Error('could not download onnxruntime /assets/ort.wasm: HTTP 503'));
    failed.catch(() => undefined);
    await expect(WebAssembly.instantiate(handOver(failed))).rejects.toThrow('HTTP 503');
  });

  it('leaves every other instantiate call as it was', async () => {
    handOver(await WebAssembly.compile(ANSWER_WASM));
    const fromBytes = await WebAssembly.instantiate(ANSWER_WASM);
    expect(fromBytes.module).toBeInstanceOf(WebAssembly.Module);
    expect(answer(fromBytes.instance)).toBe(42);
    const module = await WebAssembly.compile(ANSWER_WASM);
    const instance = await WebAssembly.instantiate(module);
    expect(instance).toBeInstanceOf(WebAssembly.Instance);
    expect(answer(instance)).toBe(42);
    // Bytes that are no module fail as they always did, not as a missing stand-in.
    await expect(WebAssembly.instantiate(new Uint8Array(8))).rejects.toThrow(WebAssembly.CompileError);
  });
});
