/**
 * A story's places, as authors name them: its knots and their stitches, and the knot or
 * knot.stitch a runtime path ("harbour.pier.0.c-1") lies in. Functions (`=== function f ===`),
 * card knots (`# card:`, lore the story never diverts to) and ink's own "global decl" are not places.
 * @module
 */
import type { Story } from 'inkjs/compiler/Compiler';
import type { Container } from 'inkjs/engine/Container';
import { ControlCommand } from 'inkjs/engine/ControlCommand';
import type { StoryOutline } from '../../domain/ports/story-engine.js';

/** A function's body returns (`~ret`); a knot's never does. */
function isFunction(container: Container): boolean {
  return container.content.some((c) => c instanceof ControlCommand && c.commandType === ControlCommand.CommandType.PopFunction);
}

function isCard(story: Story, knot: string): boolean {
  try {
    return (story.TagsForContentAtPath(knot) ?? []).some((t) => /^\s*card\s*:/i.test(t));
  } catch {
    return false;
  }
}

/** The knots and stitches of a loaded story, in the order the source declares them. */
export function readOutline(story: Story): StoryOutline {
  const knots: string[] = [];
  const stitches: string[] = [];
  for (const [name, node] of story.mainContentContainer.namedContent) {
    const knot = node as Container;
    if (!knot.visitsShouldBeCounted || isFunction(knot) || isCard(story, name)) continue;
    knots.push(name);
    for (const stitch of knot.namedContent.keys()) stitches.push(`${name}.${stitch}`);
  }
  return { knots, stitches };
}

/** The knot or knot.stitch that a runtime path lies in (null when it lies in neither). */
export function placeOf(outline: { places: ReadonlySet<string> }, path: string | null | undefined): string | null {
  if (!path) return null;
  const [knot, stitch] = path.split('.');
  if (knot === undefined || !outline.places.has(knot)) return null;
  return stitch !== undefined && outline.places.has(`${knot}.${stitch}`) ? `${knot}.${stitch}` : knot;
}
