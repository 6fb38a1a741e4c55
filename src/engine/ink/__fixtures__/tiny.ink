# title: Tiny
# author: mock-drama
# writable: gold, lamp_lit
# narrator: Keep it short and plain, second person, present tense.

VAR gold = 0
VAR lamp_lit = false

-> start

=== start ===
# scene: cellar
You stand in a dark cellar with a cold lamp and an empty purse.
* [Light the lamp on the table]
    ~ lamp_lit = true
    The lamp flares and shows a small chest in the corner.
    -> chest
* [Search the floor in the dark for coins]
    ~ gold = gold + 1
    Your fingers find a single coin between the flagstones.
    -> chest

=== chest ===
The chest is {lamp_lit: plain to see in the lamplight|only a shape in the dark}. You have {gold} gold.
* {lamp_lit} [Open the chest by the light of the lamp]
    ~ gold = gold + 10
    It is full of coins.
    -> finish
+ [Leave the cellar and climb back up the stairs] -> finish

=== finish ===
# ending: done
You climb out into the daylight with {gold} gold.
-> END
