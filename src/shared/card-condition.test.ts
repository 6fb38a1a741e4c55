import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionError, holds, parseCondition, type ConditionScope } from './card-condition.js';

const scope = (vars: Record<string, number | string | boolean>, visits: Record<string, number> = {}, turn = 1): ConditionScope => ({
  variable: (name) => vars[name],
  visits: (path) => visits[path] ?? 0,
  turn,
});

describe('card conditions', () => {
  it('reads variables, visit counts and the turn, combined with and/or/not', () => {
    const c = parseCondition('trust >= 3 and not angry or visits("tower.top") > 0 and turn > 5');
    expect(c.variables).toEqual(['trust', 'angry']);
    expect(c.paths).toEqual(['tower.top']);
    expect(holds(c, scope({ trust: 3, angry: false }))).toBe(true);
    expect(holds(c, scope({ trust: 2, angry: false }))).toBe(false);
    expect(holds(c, scope({ trust: 2 }, { 'tower.top': 1 }, 6))).toBe(true);
    expect(holds(c, scope({ trust: 2 }, { 'tower.top': 1 }, 5))).toBe(false);
    expect(holds(parseCondition('met_keeper'), scope({ met_keeper: true }))).toBe(true);
    expect(holds(parseCondition('name == "Ada" && !(x < 1)'), scope({ name: 'Ada', x: 1 }))).toBe(true);
    // Chinese names work as identifiers and strings.
    expect(holds(parseCondition('信任 >= 2 and 名字 == "灯塔"'), scope({ 信任: 2, 名字: '灯塔' }))).toBe(true);
  });

  it('refuses anything that is not a condition, without running it', () => {
    for (const bad of ['process.exit()', 'this.constructor', 'a[0]', 'trust = 3', 'visits(tower)', 'foo("x")', 'x ? 1 : 2', '[1, 2]', 'trust >=', '`x`']) {
      expect(() => parseCondition(bad), bad).toThrow(ConditionError);
    }
  });

  it('never throws when evaluating what it parsed (property)', () => {
    const atom = fc.oneof(fc.constantFrom('trust', 'angry', 'turn', 'visits("a")', '3', '"s"', 'true'), fc.integer({ min: -5, max: 5 }).map(String));
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      e: fc.oneof({ depthSize: 'small' }, atom, fc.tuple(tie('e'), fc.constantFrom('and', 'or', '>=', '<', '==', '!='), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`), tie('e').map((e) => `not ${e}`)),
    })).e as fc.Arbitrary<string>;
    fc.assert(
      fc.property(expr, fc.integer(), fc.boolean(), (text, trust, angry) => {
        expect(typeof holds(parseCondition(text), scope({ trust, angry }, { a: 1 }))).toBe('boolean');
      }),
    );
  });
});
