// Messages between the teach store and the training worker (teach.worker.ts).
import type { TeachClass } from '../../teach/classes';
import type { HeldOutReport } from '../../teach/held-out';
import type { TrainedHead } from '../../teach/train-head';

export interface TrainRequest {
  id: number;
  classes: TeachClass[];
}

export type TrainReply =
  | { id: number; ok: true; head: TrainedHead; heldOut: HeldOutReport | null; heldOutNote: string; trainMs: number }
  | { id: number; ok: false; kind: string; message: string; className?: string };
