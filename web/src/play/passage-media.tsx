/**
 * A passage's images and sounds (`media` of its state: the `# image:` and `# audio:` tags), and
 * story covers. Assets are read with the player's token (private stories' assets are not public),
 * so they are fetched and shown from blob URLs. Sound stays muted until the player turns it on
 * (remembered on this device).
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';
import { auth } from '../lib/api.js';

export interface MediaRef {
  kind: 'image' | 'audio' | 'cover';
  name: string;
  url: string;
}

const SOUND_KEY = 'md.sound';
const listeners = new Set<(on: boolean) => void>();

export function soundOn(): boolean {
  return localStorage.getItem(SOUND_KEY) === 'on';
}

function setSound(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  for (const l of listeners) l(on);
}

function useSound(): boolean {
  const [on, setOn] = useState(soundOn);
  useEffect(() => {
    listeners.add(setOn);
    return () => void listeners.delete(setOn);
  }, []);
  return on;
}

/** The asset as a blob URL, fetched with the player's token; null until it arrives (or if it does not). */
export function useAssetUrl(url: string | undefined): string | null {
  const [blobUrl, setBlobUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let made: string | null = null;
    let live = true;
    const token = auth.token();
    void fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => {
        if (!blob || !live) return;
        made = URL.createObjectURL(blob);
        setBlobUrl(made);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  return blobUrl;
}

function PassageImage({ media }: { media: MediaRef }) {
  const src = useAssetUrl(media.url);
  return src ? <img class="passage-image" src={src} alt={media.name} data-asset={media.name} /> : null;
}

function PassageAudio({ media }: { media: MediaRef }) {
  const src = useAssetUrl(media.url);
  const on = useSound();
  return src ? <audio class="passage-audio" src={src} autoPlay={on} muted={!on} controls data-asset={media.name} /> : null;
}

/** The button that turns the story's sound on and off. */
export function SoundToggle() {
  const { t } = useI18n();
  const on = useSound();
  return (
    <button type="button" class="sound-toggle" aria-pressed={on} onClick={() => setSound(!on)}>
      {on ? t('media.soundOff') : t('media.soundOn')}
    </button>
  );
}

export function PassageMedia({ media }: { media: readonly MediaRef[] | undefined }) {
  if (!media?.length) return null;
  const images = media.filter((m) => m.kind === 'image');
  const sounds = media.filter((m) => m.kind === 'audio');
  return (
    <div class="passage-media">
      {images.map((m) => (
        <PassageImage key={m.url} media={m} />
      ))}
      {sounds.length > 0 && <SoundToggle />}
      {sounds.map((m) => (
        <PassageAudio key={m.url} media={m} />
      ))}
    </div>
  );
}

/** A story's cover in the library (nothing when it has none). */
export function StoryCover({ url, title }: { url: string | undefined; title: string }) {
  const src = useAssetUrl(url);
  return src ? <img class="story-cover" src={src} alt={title} /> : null;
}
