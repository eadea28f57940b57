import { describe, expect, it } from 'vitest';
import { pickOtherCamera } from './camera';

const cams = (...labels: string[]) => labels.map((label, i) => ({ deviceId: `id${i}`, label }));

describe('pickOtherCamera', () => {
  it('prefers a camera whose label names the wanted side', () => {
    expect(pickOtherCamera(cams('camera2 0, facing back', 'camera2 1, facing front'), 'id0', 'user')?.deviceId).toBe('id1');
    expect(pickOtherCamera(cams('Front Camera', 'Wide', 'Back Camera'), 'id0', 'environment')?.deviceId).toBe('id2');
  });
  it('otherwise takes the next camera in the list, wrapping around', () => {
    expect(pickOtherCamera(cams('A', 'B', 'C'), 'id1', 'user')?.deviceId).toBe('id2');
    expect(pickOtherCamera(cams('A', 'B', 'C'), 'id2', 'user')?.deviceId).toBe('id0');
  });
  it('gives null when there is no other camera', () => {
    expect(pickOtherCamera(cams('Only'), 'id0', 'user')).toBeNull();
    expect(pickOtherCamera([], '', 'user')).toBeNull();
  });
});
