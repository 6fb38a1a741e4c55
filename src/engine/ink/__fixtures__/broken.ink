# title: Broken
VAR gold = 0
=== start ===
You find {gold coins on the floor.
* [Pick up the coins]
    ~ gold = gold + 1
    -> start
* [Walk away -> nowhere

-> END
