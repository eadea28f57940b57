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

/** Which way a camera faces: 'environment' is the rear camera of a phone, 'user' the front one. */
export type Facing = 'environment' | 'user';

const SIZE = { width: { ideal: 640 }, height: { ideal: 480 } };

async function getVideo(video: MediaTrackConstraints): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraFailure('unsupported', MESSAGES.unsupported);
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (err) {
    throw cameraFailure(err);
  }
}

/**
 * Opens a camera: the given device, else the one facing the given way (a preference, so a laptop's
 * only front camera still opens for 'environment'). Rejects with a CameraFailure.
 */
export function openCamera(deviceId?: string, facing: Facing = 'environment'): Promise<MediaStream> {
  return getVideo(deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: facing }, ...SIZE });
}

const LABEL_HINTS: Record<Facing, RegExp> = {
  user: /front|user|face|selfie/i,
  environment: /back|rear|environment|world/i,
};

/**
 * The camera to flip to when the browser cannot pick by facing (desktops, some Android builds):
 * one whose label names that side, else the next camera in the list after the current one.
 */
export function pickOtherCamera(devices: readonly VideoInput[], currentId: string, facing: Facing): VideoInput | null {
  const others = devices.filter((d) => d.deviceId !== currentId);
  if (others.length === 0) return null;
  const named = others.find((d) => LABEL_HINTS[facing].test(d.label));
  if (named) return named;
  const at = devices.findIndex((d) => d.deviceId === currentId);
  return devices.slice(at + 1).find((d) => d.deviceId !== currentId) ?? others[0];
}

/** Thrown by openFacing when the device has no other camera to flip to. */
export const ONE_CAMERA = 'This device has only one camera, so there is no other side to flip to.';

/**
 * Opens the camera facing `facing` (facingMode: exact), falling back to the device list when the
 * browser cannot choose by facing. `currentId` is the camera now open (already released).
 * `byFacing` says which way it went: a camera found in the list must be remembered by its id.
 */
export async function openFacing(facing: Facing, currentId: string): Promise<{ stream: MediaStream; byFacing: boolean }> {
  try {
    return { stream: await getVideo({ facingMode: { exact: facing }, ...SIZE }), byFacing: true };
  } catch (err) {
    if (!(err instanceof CameraFailure) || err.kind !== 'not-found') throw err;
  }
  const other = pickOtherCamera(await listVideoInputs(), currentId, facing);
  if (!other) throw new CameraFailure('not-found', ONE_CAMERA);
  return { stream: await getVideo({ deviceId: { exact: other.deviceId } }), byFacing: false };
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
