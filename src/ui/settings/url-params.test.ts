import { describe, expect, it } from 'vitest';
import { readUrlParams, urlParam } from './url-params';

describe('readUrlParams', () => {
  it('reads every parameter the app knows', () => {
    expect(readUrlParams('?backend=wasm&preprocess=page&resize=js&camera=off')).toEqual({
      backend: 'wasm',
      preprocess: 'page',
      jsResize: true,
      cameraOff: true,
      problems: [],
    });
    expect(readUrlParams('?preprocess=worker&backend=auto').preprocess).toBe('worker');
  });

  it('uses the defaults when the parameters are absent', () => {
    expect(readUrlParams('')).toEqual({ backend: null, preprocess: 'auto', jsResize: false, cameraOff: false, problems: [] });
  });

  it('refuses an unknown value with a message naming it, the values it takes and what is used instead', () => {
    const p = readUrlParams('?backend=gpu&preprocess=both&resize=canvas&camera=no');
    expect(p).toMatchObject({ backend: null, preprocess: 'auto', jsResize: false, cameraOff: false });
    expect(p.problems).toEqual([
      'Unknown ?backend=gpu (use auto or wasm or webgpu): the saved backend is in use.',
      'Unknown ?preprocess=both (use page or worker): the device decides where frames are preprocessed.',
      'Unknown ?resize=canvas (use js): the browser resizes live frames.',
      'Unknown ?camera=no (use off): the camera starts with the page.',
    ]);
  });
});

describe('urlParam', () => {
  it('reads one parameter, null when absent', () => {
    expect(urlParam('model', '?model=mobilenet_v2&camera=off')).toBe('mobilenet_v2');
    expect(urlParam('model', '?camera=off')).toBeNull();
  });
});
