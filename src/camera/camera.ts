// getUserMedia wrapper: opens a video input, lists the others, and turns failures into plain words.
// No UI here; the UI shows CameraFailure.message and offers image input instead.

export type CameraFailureKind = 'denied' | 'not-found' | 'busy' | 'ended' | 'unsupported' | 'other';

export class CameraFailure extends Error {
  constructor(
    readonly kind: CameraFailureKind,
    message: string,
  ) {
    super(message);
  }
}

const MESSAGES: Record<CameraFailureKind, string> = {
  denied: 'Camera permission was denied. Allow camera access in the browser settings, or classify an image instead.',
  'not-found': 'No camera was found on this device. You can still classify an image: pick, drop or paste one.',
  busy: 'The camera is in use by another app or could not be started. Close the other app and retry, or classify an image.',
  ended: 'The camera stopped (it was unplugged, or another app took it). Press Start camera to retry, or classify an image.',
  unsupported: 'This browser cannot open a camera here (a camera needs HTTPS or localhost). You can classify an image instead.',
  other: 'The camera could not be started.',
};

/** Maps a getUserMedia rejection (a DOMException by name) to a failure with a plain message. */
export function cameraFailure(err: unknown): CameraFailure {
  if (err instanceof CameraFailure) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  const detail = (err as Error | null)?.message ?? String(err);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new CameraFailure('denied', MESSAGES.denied);
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new CameraFailure('not-found', MESSAGES['not-found']);
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return new CameraFailure('busy', MESSAGES.busy);
    default:
      return new CameraFailure('other', `${MESSAGES.other} (${name || 'error'}: ${detail})`);
  }
}

export function endedFailure(): CameraFailure {
  return new CameraFailure('ended', MESSAGES.ended);
}

export interface VideoInput {
  deviceId: string;
  label: string;
}

/** Every video input; labels are empty until the user has granted camera access once. */
export async function listVideoInputs(): Promise<VideoInput[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/**
 * Opens a camera: the given device, else the rear one (facingMode environment, a preference so a
 * laptop's only front camera still opens). Rejects with a CameraFailure.
 */
export async function openCamera(deviceId?: string): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraFailure('unsupported', MESSAGES.unsupported);
  const video: MediaTrackConstraints = deviceId
    ? { deviceId: { exact: deviceId } }
    : { facingMode: { ideal: 'environment' }, width: { ideal: 640 }, height: { ideal: 480 } };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (err) {
    throw cameraFailure(err);
  }
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
