// Installing the app: an Install button when the browser offers installation (it fires
// beforeinstallprompt; we keep the event and show its prompt on the user's tap), and on iOS Safari,
// which has no such event, a dismissible hint pointing at Share -> Add to Home Screen.
import { isIosSafari } from '../platform';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const HINT_KEY = 'cnn-lens.ios-install-hint-dismissed';

function standalone(): boolean {
  return matchMedia?.('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true;
}

function hintDismissed(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}

class InstallStore {
  /** The browser offered installation and it has not happened yet. */
  available = $state(false);
  /** Show the iOS "Add to Home Screen" hint. */
  iosHint = $state(false);
  private event: InstallPromptEvent | null = null;

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('beforeinstallprompt', (e) => {
      // Keep the browser's mini-infobar away: the app shows its own button.
      e.preventDefault();
      this.event = e as InstallPromptEvent;
      this.available = true;
    });
    window.addEventListener('appinstalled', () => {
      this.event = null;
      this.available = false;
    });
    this.iosHint = isIosSafari(navigator.userAgent, navigator.maxTouchPoints) && !standalone() && !hintDismissed();
  }

  async install(): Promise<void> {
    const e = this.event;
    if (!e) return;
    await e.prompt();
    const { outcome } = await e.userChoice;
    // The event can be used once; a dismissed prompt comes back with a new event later.
    this.event = null;
    this.available = false;
    if (outcome === 'accepted') this.iosHint = false;
  }

  dismissHint(): void {
    this.iosHint = false;
    try {
      localStorage.setItem(HINT_KEY, '1');
    } catch {
      // Private mode: the hint comes back next visit, nothing worse.
    }
  }
}

export const installer = new InstallStore();
