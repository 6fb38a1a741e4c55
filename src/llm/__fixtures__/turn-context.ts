/** Turn contexts for the llm tests: one English and one Chinese lighthouse scene. */
import type { TurnContext } from '../../domain/ports/narrator.js';
import type { ActionKind } from '../../domain/types.js';

function context(storyTitle: string, storyText: string, choices: string[], input: string, action: ActionKind): TurnContext {
  return {
    storyTitle,
    storyText,
    choices: choices.map((text, index) => ({ index, text })),
    variables: { courage: 1 },
    writableVariables: [{ name: 'courage', type: 'int' }],
    memories: [],
    history: [],
    input,
    action,
  };
}

/** English scene: the player stands at the foot of the lighthouse stairs. */
export function englishTurn(input = 'I want to climb up to the lamp room', action: ActionKind = 'do', overrides: Partial<TurnContext> = {}): TurnContext {
  return {
    ...context(
      'The Lighthouse',
      'The keeper hands you a lantern. Rain hammers the windows of the lighthouse.',
      ['Climb the stairs to the lamp room', 'Return to the harbour'],
      input,
      action,
    ),
    ...overrides,
  };
}

/** Chinese scene, same situation. */
export function chineseTurn(input = '我要爬上楼梯去灯室', action: ActionKind = 'do', overrides: Partial<TurnContext> = {}): TurnContext {
  return {
    ...context('灯塔', '守塔人递给你一盏灯。雨点敲打着灯塔的窗户。', ['爬上楼梯到灯室', '回到码头'], input, action),
    ...overrides,
  };
}
