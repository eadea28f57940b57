// The layer inspector's state: which layer and channel are selected, how they are drawn, the
// reference engine's latest feature maps, the agreement with onnxruntime and the receptive field
// of a tapped cell. The InspectorController does the work; this store only holds what is shown.
import { InspectorController, type LayerSnapshot, type Parity } from '../../inspector/controller';
import type { ColormapName } from '../../inspector/colormap';
import type { ScaleMode } from '../../inspector/feature-grid';
import { inputRectToFrame, type Rect } from '../../inspector/frame-geometry';
import type { ModelManifest } from '../../model/manifest';
import type { Tensor } from '../../reference/tensor';
import type { ModelSummary } from '../../summary/summary';
import { receptiveFieldOfCell, type PixelBox } from '../../summary/receptive-field';
import { settings } from './settings.svelte';

export interface SelectedCell {
  channel: number;
  row: number;
  col: number;
}

export interface ReceptiveFieldView {
  layer: string;
  cell: SelectedCell;
  /** In model-input pixels, clipped to the image and as the kernel chain defines it. */
  clipped: PixelBox;
  unclipped: PixelBox;
  /** The clipped field on the frame the result came from (frame pixels), for the video overlay. */
  frame: (Rect & { frameWidth: number; frameHeight: number }) | null;
}

class InspectorStore {
  open = $state(false);
  status = $state('');
  error = $state('');
  summary = $state.raw<ModelSummary | null>(null);
  layer = $state<string | null>(null);
  // How maps are drawn is a remembered setting: these read and write the settings store.
  get colormap(): ColormapName {
    return settings.colormap;
  }
  set colormap(name: ColormapName) {
    settings.colormap = name;
  }
  get scaleMode(): ScaleMode {
    return settings.scaleMode;
  }
  set scaleMode(mode: ScaleMode) {
    settings.scaleMode = mode;
  }
  get sortByMean(): boolean {
    return settings.sortByMean;
  }
  set sortByMean(on: boolean) {
    settings.sortByMean = on;
  }
  snapshot = $state.raw<LayerSnapshot | null>(null);
  parity = $state.raw<Parity | null>(null);
  channel = $state<number | null>(null);
  receptiveField = $state.raw<ReceptiveFieldView | null>(null);
  /** Pooling what-if: the same input through the other pooling type. */
  whatIf = $state(false);
  whatIfTensor = $state.raw<{ poolType: string; tensor: Tensor } | null>(null);
  /** Where the newest result's crop lies in its frame, to map receptive fields onto the frame. */
  frameCrop = $state.raw<(Rect & { frameWidth: number; frameHeight: number }) | null>(null);
  manifest = $state.raw<ModelManifest | null>(null);
  /** Layer refreshes per second of the live inspector, and how many so far (the bench reads both). */
  hz = $state(0);
  refreshes = $state(0);
  /** What the reference may take of this device, in words (see inspector/budget.ts). */
  budgetReason = $state('');

  controller: InspectorController | null = null;

  /** The layers as the picker lists them. */
  get layers(): { name: string; type: string; shape: number[] }[] {
    return (this.summary?.rows ?? []).map((r) => ({ name: r.name, type: r.type, shape: r.outputShape }));
  }

  attach(controller: InspectorController): void {
    this.controller = controller;
  }

  async loadModel(bytes: Uint8Array, manifest: ModelManifest): Promise<void> {
    if (!this.controller) return;
    this.status = 'loading the model into the reference engine';
    this.error = '';
    try {
      this.summary = await this.controller.loadModel(bytes, manifest.outputNeedsSoftmax);
      this.manifest = manifest;
      this.snapshot = null;
      this.parity = null;
      this.receptiveField = null;
      this.channel = null;
      const first = this.summary.rows[0]?.name ?? null;
      const keep = this.layer && this.summary.rows.some((r) => r.name === this.layer);
      this.selectLayer(keep ? this.layer : first);
      this.status = '';
    } catch (err) {
      this.status = '';
      this.error = `The inspector could not load this model: ${(err as Error).message}`;
    }
  }

  selectLayer(name: string | null): void {
    this.layer = name;
    this.channel = null;
    this.receptiveField = null;
    this.whatIfTensor = null;
    this.controller?.select(name);
  }

  onSnapshot(s: LayerSnapshot): void {
    this.updateRate();
    if (s.layer !== this.layer) {
      this.controller?.release(s.tensor);
      return;
    }
    const shown = this.snapshot;
    this.snapshot = s;
    if (shown) this.controller?.release(shown.tensor);
    if (this.whatIf) void this.refreshWhatIf();
  }

  /** Reads the refresh rate from the controller (also on a timer, so a stalled inspector reads 0). */
  updateRate(): void {
    this.hz = this.controller?.refreshRate() ?? 0;
    this.refreshes = this.controller?.refreshes ?? 0;
  }

  onParity(p: Parity): void {
    this.parity = p;
  }

  async refreshWhatIf(): Promise<void> {
    const layer = this.layer;
    const row = layer ? this.summary?.rows.find((r) => r.name === layer) : undefined;
    if (!layer || !row || !isPooling(row.type) || !this.controller) {
      this.whatIfTensor = null;
      return;
    }
    try {
      const t = await this.controller.whatIf(layer);
      if (layer === this.layer) this.whatIfTensor = t;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** A tapped feature-map cell: its receptive field in input pixels and on the frame. */
  selectCell(cell: SelectedCell): void {
    const row = this.layer ? this.summary?.rows.find((r) => r.name === this.layer) : undefined;
    this.channel = cell.channel;
    if (!row || !this.layer) return;
    const { clipped, unclipped } = receptiveFieldOfCell(row.receptiveField, cell.row, cell.col);
    let frame: ReceptiveFieldView['frame'] = null;
    const crop = this.frameCrop;
    if (crop && this.manifest) {
      const p = this.manifest.preprocess;
      frame = { ...inputRectToFrame(clipped, crop, p.cropWidth, p.cropHeight), frameWidth: crop.frameWidth, frameHeight: crop.frameHeight };
    }
    this.receptiveField = { layer: this.layer, cell, clipped, unclipped, frame };
  }
}

export function isPooling(type: string): boolean {
  return type === 'MaxPool' || type === 'AveragePool' || type === 'GlobalAveragePool' || type === 'GlobalMaxPool';
}

export const inspector = new InspectorStore();
