import type { Choice } from '../../../sdk/index.js';
import { useI18n } from '../i18n/index.js';

/** The ink choices on offer; picking one sends its text (any other words work too). */
export function ChoiceHints({ choices, disabled, onPick }: { choices: Choice[]; disabled: boolean; onPick(text: string): void }) {
  const { t } = useI18n();
  if (choices.length === 0) return null;
  return (
    <section class="choices" aria-labelledby="choices-title">
      <h2 id="choices-title" class="choices-title">
        {t('play.choices')}
      </h2>
      <ul>
        {choices.map((c) => (
          <li key={c.index}>
            <button type="button" class="choice" disabled={disabled} onClick={() => onPick(c.text)} aria-label={t('play.choiceHint', { text: c.text })}>
              {c.text}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
