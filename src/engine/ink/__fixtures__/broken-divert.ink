# title: Broken divert
VAR gold = 0
-> start
=== start ===
You find {gold} coins on the floor.
* [Pick up the coins]
    ~ silver = gold + 1
    -> nowhere
* [Walk away] -> END
