/**
 * The two shapes of droppable context, with their token estimates kept current as the budget
 * loop trims them: a list of items dropped one at a time, and a single text dropped or cut.
 * Sizes add up because sections are joined with blank lines, and whitespace splits token runs.
 * @module
 */
import { countTokens } from '../../shared/text.js';
import { clipHead, clipTail } from './clip.js';
import type { Item } from './pieces.js';
import { renderSection, type SectionTag } from './tags.js';

/** Items inside one fence; the budget drops them from either end. */
export class ItemList {
  #start = 0;
  #end: number;
  #sum: number;

  /**
   * @param items rendered items, in prompt order
   * @param frame tokens of the fence around them (counted only while an item is kept)
   * @param capped whether a per-item or per-list cap already cut something
   */
  constructor(
    readonly items: readonly Item[],
    readonly frame: number,
    public capped: boolean,
  ) {
    this.#end = items.length;
    this.#sum = items.reduce((n, i) => n + i.tokens, 0);
  }

  /** Items still kept. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** Token estimate of the fenced list; 0 once every item is gone (the fence goes too). */
  get size(): number {
    return this.length > 0 ? this.frame + this.#sum : 0;
  }

  /** Whether the turn had any items at all. */
  get had(): boolean {
    return this.items.length > 0;
  }

  /** Whether a cap or the budget cut anything. */
  get trimmed(): boolean {
    return this.capped || this.#start > 0 || this.#end < this.items.length;
  }

  /** Drop the first kept item (history: the oldest). */
  dropFirst(): void {
    this.#sum -= this.items[this.#start++]!.tokens;
  }

  /** Drop the last kept item (memories and cards: the least relevant). */
  dropLast(): void {
    this.#sum -= this.items[--this.#end]!.tokens;
  }

  /** The texts of the kept items, in order. */
  kept(): string[] {
    return this.items.slice(this.#start, this.#end).map((i) => i.text);
  }
}

/** One fenced text. `always` parts are rendered even when empty (as `(none)`) and are only cut. */
export class TextPart {
  #dropped = false;
  #cut = false;
  #size: number;
  readonly had: boolean;

  constructor(
    readonly tag: SectionTag,
    private body: string,
    private readonly capped: boolean,
    private readonly always = false,
  ) {
    this.had = body.length > 0;
    this.#size = this.present ? countTokens(this.render()) : 0;
  }

  /** Whether the part is rendered at all. */
  get present(): boolean {
    return this.always || (!this.#dropped && this.body.length > 0);
  }

  /** Token estimate of the rendered part (0 when absent). */
  get size(): number {
    return this.#size;
  }

  /** Whether a cap or the budget cut anything. */
  get trimmed(): boolean {
    return this.capped || this.#dropped || this.#cut;
  }

  /** The fenced section. */
  render(): string {
    return renderSection(this.tag, this.body);
  }

  /** Leave the part out (only for parts that are not `always`). */
  drop(): void {
    this.#dropped = true;
    this.#size = this.present ? countTokens(this.render()) : 0;
  }

  /** Cut `excess` tokens from the body, keeping its start or its end (where the story now is). */
  shrink(excess: number, keep: 'start' | 'end'): void {
    if (excess <= 0 || this.body.length === 0) return;
    const target = countTokens(this.body) - excess;
    this.body = target > 0 ? (keep === 'end' ? clipTail : clipHead)(this.body, target).text : '';
    this.#cut = true;
    this.#size = this.present ? countTokens(this.render()) : 0;
  }
}
