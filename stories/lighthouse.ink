# title: The Last Light on Gull Rock
# author: mock-drama
# writable: trust, courage, has_lantern
# narrator: Narrate in the second person and present tense with a spare, salt-stung, quietly tense voice; keep the storm always audible, let small kindnesses weigh as much as great deeds, and never decide for the keeper what she feels.

// ---------------------------------------------------------------
// The Last Light on Gull Rock
// An original story for mock-drama.
// The keeper, Maren Holt, must relight a dead lighthouse before a
// schooner reaches the reef at midnight, while wreckers close in.
// ---------------------------------------------------------------

VAR trust = 0              // how far Maren and the stranger Ewan trust each other
VAR courage = 1            // Maren's nerve; gates the riskier choices
VAR has_lantern = false    // carrying the lit storm lantern
VAR has_key = false        // carrying the brass key to the clockwork housing
VAR lamp_lit = false       // the great lamp is burning
VAR oil = 1                // paraffin in the lamp reservoir (3 or more lasts the night)
VAR ship_warned = false    // the schooner has been warned by hand signal
VAR knows_plot = false     // Maren knows the wreckers are coming
VAR companion = "nobody"   // who stands with Maren tonight: "nobody", "Pell" or "Ewan"

-> cottage

=== cottage ===
# scene: keeper's cottage
# mood: uneasy
The storm arrives an hour before dusk, the way the old keepers always said the worst ones do: quietly at first, and then all at once.
By nine o'clock the rain is coming sideways across Gull Rock, and the cottage windows hum in their frames like struck glasses.
You are Maren Holt, keeper of this light for eleven winters, and for the first time in all of them the tower above you is dark.
The clockwork that turns the great lens stopped at sunset with a crack like a snapping bone. The flame drowned soon after.
Somewhere beyond the reef, the schooner Margaret Ashby is due to round the point at midnight.
* [Pull on your oilskins and decide what to do first]
    You shrug into the stiff oilskin coat. It still smells of last winter's tar, and of every other bad night you have survived.
    -> cottage_hub
* [Sit by the stove for one more minute to steady your nerves]
    You hold your hands to the stove and make yourself breathe slowly. When you stand again, you feel steadier than you have any right to.
    ~ courage = courage + 1
    -> cottage_hub

=== cottage_hub ===
# scene: keeper's cottage
{The cottage is a single room and a storeroom, with the radio set on its own small table by the window and the tower door at the far end of the yard.|The cottage creaks around you. The clock on the mantel says it is later than you would like.}
{companion == "Pell": Pell lies by the stove with his nose on his paws, watching your every move.}
{companion == "Ewan": Ewan waits by the door, wrapped in your spare coat, ready when you are.}
{has_lantern: The storm lantern hangs from your hand, its small flame steady.|Your storm lantern is not on its hook by the door. You must have left it in the storeroom.}
* [Try the radio set and call the coast station at Saltcombe] -> radio_room
* [Search the storeroom for oil, tools and the storm lantern] -> storeroom
* [Go down to the boathouse, where something has been banging in the wind] -> boathouse
* {companion == "nobody"} [Call old Pell the sheepdog in from the porch] -> call_dog
+ [Climb the spiral stairs to the dark lamp room] -> stair_climb

=== call_dog ===
# scene: porch
You open the porch door a crack and whistle. For a moment there is only the wind. Then Pell comes in low and soaked: an old grey collie who has outlived two keepers and plainly intends to outlive you.
He shakes himself all over your boots, sits, and looks up at you as if waiting for his orders.
~ companion = "Pell"
~ courage = courage + 1
+ [Rub the old dog dry with a towel and turn back to your plans] -> cottage_hub

=== radio_room ===
# scene: radio table
The radio set warms with a smell of hot dust. You turn the dial through hiss and crackle until a voice swims up out of the noise.
"...Gull Rock, Gull Rock, this is Saltcombe coast station. Maren, are you there? Your light is out. Repeat, your light is out."
It is Ilse Brand, the night operator, who plays chess with you over the air on quiet nights and always loses on purpose.
* [Tell Ilse the clockwork has failed and you are going to mend it]
    "The clockwork's gone," you tell her. "I'll have it turning by midnight."
    "Then I'll stop worrying," she says, in the voice of someone who will not stop worrying.
    -> warning
* [Ask Ilse whether the Margaret Ashby can be warned away from the reef]
    "Can you raise the Ashby? Turn her out to sea?"
    "I've been calling her for an hour. Her set must be down. She's sailing blind, Maren. Your light is all she has."
    ~ courage = courage + 1
    -> warning

= warning
There is a pause full of static. Then Ilse says, more quietly: "One more thing. There were men on the Saltcombe quay this afternoon, asking who keeps the Rock, and whether she keeps it alone. Cutter Hale's lot. I didn't like their faces."
The signal breaks up into a howl before you can answer.
~ knows_plot = true
+ [Switch off the radio and turn back to the cottage] -> cottage_hub

=== storeroom ===
# scene: storeroom
The storeroom is cold and smells of paraffin and rope. There are shelves of tins, coils of line, a rack of tools, and the brass key cabinet that the Board of Lights insists you keep locked.
-> search

= search
* {not has_lantern} [Take the storm lantern from its hook and light it]
    You find the lantern where you left it, trim the wick, and coax a flame out of it. The little light makes the storeroom suddenly homely.
    ~ has_lantern = true
    -> search
* [Fill the heavy can with paraffin oil for the great lamp]
    You fill the can from the drum. The oil sloshes against the tin, a comforting weight that will feed the lamp until morning.
    ~ oil = oil + 2
    -> search
* [Unlock the key cabinet and take the brass clockwork key]
    The cabinet key lives on your own watch chain. Inside, on its velvet hook, hangs the brass key that opens the clockwork housing in the lamp room.
    ~ has_key = true
    -> search
+ [Leave the storeroom with whatever you have gathered] -> cottage_hub

=== boathouse ===
# scene: boathouse
# mood: tense
You fight your way down the slick steps to the boathouse, one hand on the rope rail{has_lantern:, the lantern throwing wild shadows across the rock| and no light to see by but the lightning}.
The big door has been torn half off its runners. In the wash of the slipway, tangled in weed and a broken oar, lies a man.
He is young, soaked through, and breathing. When you kneel beside him his eyes open and fix on you with something that is not quite relief.
* [Haul the half-drowned man up the steps to the warm cottage] -> rescue_stranger
* [Demand to know who the stranger is before you move him an inch]
    "Who are you? What boat?"
    "Ewan," he croaks. "Ewan Tallis. Crab boat out of Saltcombe. She rolled." His eyes slide away from yours, and he never does tell you the boat's name.
    -> rescue_stranger
* {courage < 2} [Leave him under a tarpaulin and hurry back, afraid of him]
    You tell yourself there is no time. You drag a tarpaulin over him, promise to come back, and climb the steps with your heart hammering.
    It does not feel like the right thing. It feels like the safe thing, and those are not the same.
    ~ courage = MAX(courage - 1, 0)
    -> cottage_hub

=== rescue_stranger ===
# scene: keeper's cottage
You get his arm across your shoulders and half carry, half drag him up the steps.{companion == "Pell": Pell walks stiff-legged beside you, growling low in his chest the whole way.}
In the cottage you peel off his sodden jacket, wrap him in your spare blanket and sit him by the stove. He shakes so hard his teeth click.
Under the blanket, something heavy shifts in his trouser pocket, with a clink like iron on glass.
* [Give him hot tea and speak to him gently]
    You press a mug of tea into his hands and wait until he can hold it without spilling. "You're safe here," you tell him. "Nobody drowns on my rock tonight."
    He looks at you for a long moment. "That's a kind thing to say," he says, "to someone you don't know."
    ~ trust = trust + 1
    -> stranger_by_fire
* [Search his pockets while he is too weak to stop you]
    You reach into his pocket before he can stop you. Your fingers close on a short iron pry-bar and a ball of rag soaked in lamp-black: a thief's tools, or a wrecker's.
    He does not try to take them back. He only closes his eyes.
    ~ knows_plot = true
    ~ trust = trust - 1
    -> stranger_by_fire

=== stranger_by_fire ===
# mood: wary
The stove ticks. The storm leans its whole weight on the walls. Ewan watches the black window where the beam ought to be sweeping past.
"Your light's out," he says at last.
* [Tell him the truth: the clockwork broke and you mean to mend it]
    "It broke at sunset. I'm going up to mend it."
    Something passes over his face, a flinch, as if you had spoken a name he knew. "Alone?"
    ~ trust = trust + 1
    -> stranger_choice
* [Lie and say the light is out on purpose, for repairs]
    "Maintenance," you say. "Board of Lights orders."
    He almost smiles. "On a night like this. Right." He does not believe you, and you both know it.
    -> stranger_choice
* {knows_plot} [Confront him about Cutter Hale's men on the Saltcombe quay]
    "There were men asking about me in Saltcombe today. Asking whether I keep the Rock alone. Cutter Hale's men. Are you one of them?"
    The mug stops halfway to his mouth.
    -> stranger_confession

=== stranger_choice ===
He sets down the mug. The blanket slides from his shoulders and he does not pull it back.
{companion == "Pell": Pell has not taken his eyes off the stranger since he came in.}
* {trust >= 2} [Ask him, kindly, what he is really afraid of] -> stranger_confession
* [Lock him in the coal shed until morning, to be safe] -> lock_stranger
* [Ask him to climb the tower with you and help mend the light]
    "Can you manage stairs?" you ask. "I could use another pair of hands up there."
    He stares at you. Then he stands, unsteady, and lets the blanket fall. "Yes," he says. "Yes, all right."
    ~ companion = "Ewan"
    -> cottage_hub

=== stranger_confession ===
# mood: confessional
He talks to the stove rather than to you.
"There are five of them. Cutter Hale's crew. They know the Ashby is carrying copper and a strongbox for the bank at Saltcombe. If the Rock is dark at midnight she comes onto the reef, and by morning the beach is covered in salvage that nobody has to answer for."
"They put me ashore at dusk with a bar and a rag full of lamp-black. I was to break the clockwork. I never had to. It broke by itself, and then my boat rolled, and then you pulled me out of the water."
He looks up at last. "They're coming at midnight, to make sure it stays dark."
~ knows_plot = true
~ trust = trust + 1
* [Thank him for the truth and ask him to stand with you tonight]
    "Then help me light it," you say. "Stand with me, and they'll find the lamp burning and a keeper who isn't alone."
    He swallows. "I don't know if I'm brave enough."
    "Neither do I. Come anyway."
    ~ companion = "Ewan"
    ~ trust = trust + 1
    -> cottage_hub
* [Tell him a wrecker can never be trusted and lock him away] -> lock_stranger

=== lock_stranger ===
# scene: coal shed
You march him across the yard to the coal shed and drop the bar across its door. He does not fight you. Through the planks you hear him say, "They'll come anyway, Maren. Locking me up won't stop them."
It is the first time he has used your name. You never told it to him.
~ trust = trust - 1
+ [Leave him locked in the shed and go back inside] -> cottage_hub

=== stair_climb ===
# scene: tower stairs
The tower stair is a hundred and twelve iron steps coiled around a hollow throat of dark. The wind moans down it like breath across the mouth of a bottle.
{companion == "Ewan": Ewan climbs behind you, breathing hard, one hand never leaving the rail.}
{companion == "Pell": Pell takes the steps one at a time, complaining softly, refusing to be left below.}
{has_lantern:
    The lantern's glow walks up the curved wall ahead of you, step by step, until the trapdoor to the lamp room opens above your head.
    -> lamp_room
- else:
    -> dark_stairs
}

=== dark_stairs ===
# mood: frightened
{Without a lantern the dark is total. You climb by touch, counting the steps, and somewhere past sixty your foot comes down on nothing at all: a tread has rusted through.|You are still crouched on the dark stair, just above the rusted-through tread, with the wind howling up from below.}
* {courage >= 2} [Grip the rail, steady yourself and keep climbing in the dark]
    You hang for a heartbeat over the drop, then haul yourself up by the rail, breathing through your teeth. You keep counting. You do not stop.
    -> lamp_room
+ [Go back down for the storm lantern before you break your neck]
    You retreat step by step to the bottom. It costs you precious minutes, but you find the lantern in the storeroom and light it with shaking hands.
    ~ has_lantern = true
    -> stair_climb
* {courage < 2} [Sit on the cold step and wait for your hands to stop shaking]
    You sit in the dark until your breathing slows.{companion != "nobody": A warm weight settles against your side. {companion} has come up to sit beside you.| You are alone, and you decide that will have to be enough.}
    ~ courage = courage + 1
    -> dark_stairs

=== lamp_room ===
# scene: lamp room
# mood: urgent
{The lamp room is a glass cage full of storm. Rain streams down every pane, and in the middle of it all stands the great lens, a beehive of prisms taller than you, dead and cold.|You are back beside the great lens. The storm throws itself against the glass as if it knows what you are trying to do.}
Beneath the lens, the brass housing of the clockwork is shut{has_key:, and the brass key is heavy in your pocket|, and locked. The key is in the storeroom cabinet, a hundred and twelve steps below}.
The oil gauge on the reservoir reads {oil >= 3: full|dangerously low}.
* {has_key} [Unlock the clockwork housing and repair the broken gears] -> clockwork
* {not has_key} [Break open the locked clockwork housing with the fire axe] -> force_housing
* [Step out onto the iron gallery to look for the Margaret Ashby] -> gallery
+ [Light the wick and turn the great lens by hand, all night if you must] -> hand_crank

=== clockwork ===
# scene: lamp room
The brass key turns sweetly. Inside the housing the clockwork is a small city of gears, and you see at once what failed: the main drive pin has sheared clean through, and the escapement has jumped its teeth.
-> repair

= repair
* {companion == "Ewan"} [Have Ewan hold up the heavy drive weight while you reset the gears]
    "Take the weight," you say, and Ewan wraps both arms around the iron and lifts, veins standing out in his neck.
    You reseat the escapement tooth by tooth and drive a spare pin home. When he lets the weight down, the gears bite, and the whole tower gives a long, grateful shudder.
    ~ trust = trust + 1
    -> light_it
* [Jam a steel nail into the place of the sheared pin and hope it holds]
    You find a nail in your pocket, of all things, and tap it into the shaft with the heel of the spanner.
    {courage >= 2:
        Your hands are steady. The nail holds. The gears begin, stiffly, to turn.
        -> light_it
    - else:
        Your hands shake, the nail goes in crooked, and on the third turn it bends with a groan. The clockwork will not carry the lens tonight.
        -> hand_crank
    }
* [Give up on the clockwork and close the brass housing again] -> lamp_room

= light_it
You strike a match, turn up the wick and lower the chimney. The flame catches, climbs and steadies, and the lens wakes all around it: a great rotating blade of white thrown out over the black water.
~ lamp_lit = true
+ [Watch the beam sweep the reef and wait for midnight] -> midnight

=== force_housing ===
# scene: lamp room
You take the fire axe down from its brackets and bring it round on the housing's lock. Once, twice, and the brass tears open.
Inside, the drive pin has sheared clean through, and your blows have bent two of the smaller gears for good measure. No key would have saved this now.
~ courage = courage + 1
* [Run all the way down for the proper key and try the gears again]
    You take the hundred and twelve steps down and then up again with your lungs burning, and come back with the brass key in your fist.
    ~ has_key = true
    -> clockwork
+ [Forget the clockwork and turn the great lens by hand instead] -> hand_crank

=== hand_crank ===
# scene: lamp room
# mood: grim
There is an old crank for emergencies, stiff with paint, that fits a socket under the lens. You light the wick, fit the crank, and lean your whole body into it.
The lens turns. Slowly, far too slowly at first, and then at something like the proper speed, its beam begins to sweep the water.
~ lamp_lit = true
{companion == "Ewan": Ewan takes the crank from you without being asked whenever your arms begin to shake, and hands it back without a word when his do.}
{companion == "Pell": Pell lies across your feet while you crank, as if to keep you from blowing away.}
* [Keep turning the crank through the pain in your shoulders] -> midnight
* {has_lantern} [Leave the crank for a moment and signal from the gallery with your lantern]
    You wedge the crank with a belaying pin so the lens will creep round on its own for a while. The flame still burns behind you as you go.
    -> gallery

=== gallery ===
# scene: gallery
# mood: windswept
You force the storm door open and step out onto the iron gallery. The wind takes your breath and tries to take you with it.
Far out, a cluster of tiny lights rises and falls on the swell: the Margaret Ashby, closer than she ought to be and heading straight for the reef.
And on the Saltcombe headland, where no house has ever stood, someone has hung three lanterns in a row, arranged to look exactly like the harbour mouth.
~ knows_plot = true
* {has_lantern} [Swing your storm lantern and flash a warning to the schooner] -> lantern_signal
+ [Duck back inside out of the wind, to the lamp] -> lamp_room

=== lantern_signal ===
# scene: gallery
You hold the lantern high and cover and uncover it with your oilskin sleeve: three short, three long, three short, the signal every sailor knows.
For a long time nothing answers. Then, out on the black water, the Ashby's masthead light blinks twice, and her lights begin, very slowly, to swing away from the false harbour on the headland.
~ ship_warned = true
~ courage = courage + 1
* [Keep signalling until the schooner is safely past the reef] -> midnight
* [Go back inside and get the great lamp itself burning] -> lamp_room

=== midnight ===
# scene: tower
# mood: climactic
The clock in the cottage below must be striking twelve, though you cannot hear it. What you hear instead, through the roar of the sea, is the tower door booming under a heavy fist.
{companion == "Ewan" and trust < 2:
    -> betrayal
- else:
    -> wreckers_at_door
}

=== betrayal ===
# mood: cold
Under the pounding comes a second sound: the scrape of the iron bar being lifted. Ewan is no longer beside you.
By the time you reach the turn of the stair, the door stands open, the rain is blowing in, and with it come five men in black oilskins.
Ewan stands aside to let them pass. He will not meet your eyes.
* [Plead with Ewan to remember who pulled him from the water]
    "I pulled you out of the sea," you say. "Remember that, Ewan. Whatever else you do tonight."
    {trust >= 1:
        He looks at you, and at the men, and at you again. Then he steps onto the bottom stair, between you and them, and picks up the fire bucket like a weapon.
        ~ trust = trust + 2
        -> hold_stair
    - else:
        He flinches as if you had struck him, but he does not move. Whatever you gave him tonight, it was not enough.
        -> ending_betrayal
    }
* [Run back up the stair to stand guard over the lamp] -> ending_betrayal

=== wreckers_at_door ===
# scene: tower door
# mood: climactic
"Keeper!" The voice through the door is cheerful and enormous. "Open up. It's Cutter Hale. Thought you might like some company on a dirty night."
{boathouse and not rescue_stranger: Through the slot in the door you glimpse, among the men, a young one limping: the stranger you left under the tarpaulin.}
{companion == "Pell": Pell stands at the bottom of the stair with every hair on his back on end.}
* {companion == "Ewan"} [Send Ewan down to tell Cutter Hale the lifeboat is on its way]
    Ewan goes down and talks through the slot in the door, fast and low. You hear Hale swear, and then laugh, and then swear again.
    "The coast station's raised the lifeboat, and the constable's aboard," Ewan says. "I saw her lights from the gallery. If you're on this rock when she lands, Cutter, you'll hang."
    There is a long silence. Then boots on the steps, going down, and a boat's engine coughing into life.
    ~ trust = trust + 1
    -> reckoning
* {lock_stranger} [Shout down that you hold Ewan Tallis locked up as a witness]
    "I have your Ewan Tallis in my coal shed," you shout, "and he has told me everything. Ilse Brand at the coast station knows it too."
    The pounding stops. You hear low voices arguing, a curse, and then the men going away down the steps toward their boat.
    -> reckoning
* {courage >= 3} [Go down and face Cutter Hale at the door yourself] -> face_hale
+ [Drop the iron bar across the door and hold the narrow stair against them] -> hold_stair

=== face_hale ===
# scene: tower door
You go down, lift the bar and open the door before you can change your mind. Cutter Hale fills the doorway, rain running off his hat brim, four men at his back.
"Evening, keeper," he says. "Your light seems to be giving you trouble."
* {knows_plot} [Tell Hale the coast station already knows his name and his plan]
    "Ilse Brand has had your name on the air all night, Cutter. If the Ashby so much as scrapes the reef, every constable on this coast will know who to come for."
    For the first time, Hale's smile slips. He looks up at the tower, and then at his men, and then he spits on your step and turns away.
    ~ courage = courage + 1
    -> reckoning
* [Order Hale off your rock in the name of the Board of Lights]
    "This is a Board of Lights station. Get off my rock."
    Hale laughs, kindly, the way a man laughs at a child. Then he puts one big hand in the middle of your chest and pushes. You go down hard on the stones.
    When you get back up, the men are already on the stair.
    ~ lamp_lit = false
    -> reckoning

=== hold_stair ===
# scene: tower stairs
# mood: desperate
You take the fire axe to the narrow turn of the stair, where only one man at a time can come at you, and you wait.
The door gives with a crash. Boots ring on the iron steps below.
* [Swing the storm lantern and shout that the coast station is coming]
    "The lifeboat's on its way!" you roar. "Ilse Brand has your names!"
    -> stair_fight
* [Stand silent in the dark with the fire axe raised]
    You say nothing at all. You let them hear only the storm, and the sound of your breathing above them.
    -> stair_fight

= stair_fight
{courage >= 2 or companion != "nobody":
    The first man round the turn meets the flat of the axe{companion == "Pell":, and Pell's teeth in his ankle}{companion == "Ewan":, and Ewan's bucket across his shoulders}. He falls back into the man behind him, and the whole black tangle of them goes clattering down.
    Nobody comes up a second time. After a while you hear their boat leave.
- else:
    You hold the turn for as long as you can, which is not very long. They push past you, up and into the lamp room, and you hear the glass chimney shatter and smell the flame drowned in lamp-black.
    ~ lamp_lit = false
}
+ [Climb back up to see what is left of the light] -> reckoning

=== reckoning ===
# scene: lamp room
# mood: hushed
The storm has not finished with you, but it is starting to tire. You stand in the lamp room and look out to sea.
{
- lamp_lit and oil >= 3:
    -> ending_dawn_light
- lamp_lit:
    -> guttering
- ship_warned:
    -> ending_small_light
- else:
    -> ending_wreck
}

=== guttering ===
# mood: desperate
At a quarter past midnight the flame begins to shrink. The oil gauge needle lies against its pin: the reservoir is almost dry, and the Ashby is only now abreast of the reef.
* {has_lantern} [Pour the storm lantern's oil into the great lamp's reservoir]
    You unscrew the lantern's cap with your teeth and pour every drop into the reservoir. The lantern dies in your hand. The great flame steadies.
    ~ has_lantern = false
    ~ oil = oil + 1
    -> ending_dawn_light
* {has_lantern} [Run out onto the gallery and signal the schooner with your lantern]
    You leave the great flame to die and run out into the wind with the only light you have left.
    ~ ship_warned = true
    -> ending_small_light
* [Tear up your blanket, soak it in the last of the oil and feed the flame]
    {courage >= 2:
        You feed the flame strip by strip, burning your fingers, and the beam keeps turning until the Ashby is past.
        -> ending_dawn_light
    - else:
        You feed the flame strip by strip, but the wool smothers more than it burns, and the light sinks to an ember.
        -> ending_wreck
    }

=== ending_dawn_light ===
# scene: dawn
# mood: triumphant
# ending: dawn_light
When the sky turns grey, the beam is still turning, thinner against the daylight but unbroken.
Out beyond the reef, the Margaret Ashby is standing safely out to sea, her sails patched with the first sunlight.
{companion == "Ewan": Ewan is asleep on the lamp-room floor with his back against the wall. When he wakes, you will have to decide what to tell the constable about him. You think you already know.}
{companion == "Pell": Pell is asleep across your boots, snoring, as though nothing in the world had happened.}
{companion == "nobody": You are alone, as you have been for eleven winters, but it does not feel like loneliness this morning. It feels like having kept a promise.}
The radio is crackling in the cottage below. It will be Ilse, asking whether you are all right. For once, you can tell her yes.
-> END

=== ending_small_light ===
# scene: dawn
# mood: bittersweet
# ending: small_light
The great lamp is dark when dawn comes, and will be until the Board sends a new chimney and a clockwork mechanic.
But the Margaret Ashby is out there on the grey water, whole, riding at anchor off the point, because one small storm lantern told her where the rocks were.
{companion != "nobody": {companion} sits beside you on the wet gallery, and neither of you says anything for a long time.}
They will write in the Board's logbook that the Gull Rock light failed that night. You will write underneath it, in your own hand, that the keeper did not.
-> END

=== ending_wreck ===
# scene: dawn
# mood: grief
# ending: wreck
Just before one o'clock you hear it, even over the storm: a long, grinding groan from the reef, like something enormous turning over in its sleep.
By dawn the Margaret Ashby lies on her side across the rocks, and small figures are moving along the beach at Saltcombe, picking through what the sea has brought them.
The lifeboat gets most of her crew off. Not all.
You sit on the gallery a long time after the sun is up{has_lantern:, the cold lantern in your lap}, and when the radio calls you from below, you do not go down to answer it.
-> END

=== ending_betrayal ===
# scene: dawn
# mood: cold
# ending: betrayal
They do not hurt you, not really. They tie your wrists to the stair rail, smother the flame with lamp-black, and leave someone to sit with you who will not talk.
Toward one o'clock you hear the reef take the Margaret Ashby. Toward dawn you hear the boats go out to meet what she carried.
Ewan comes back once, alone, and cuts the rope around your wrists. He does not say he is sorry. He only says, "You should have locked me in the shed," and then he is gone down the steps into the rain.
You will tell the constable everything. You suspect it will not be enough.
-> END

// ---------------------------------------------------------------
// Story cards (lore for the narrator). A knot tagged `# card:` is
// never played; its text enters the narrator's context when one of
// its keywords comes up, or when the scene is close to it.
// ---------------------------------------------------------------

=== card_cutter_hale ===
# card: Cutter Hale
# keywords: Cutter Hale, Hale, wrecker, Saltcombe
Cutter Hale runs the wreckers who drink on the Saltcombe quay. On a dark night his men show false lights from the cliffs to lure ships onto the reef, then strip what washes ashore. A lit tower on Gull Rock is the one thing that spoils their trade.
-> END

=== card_gull_rock ===
# card: Gull Rock light
# keywords: lighthouse, lamp, lens, clockwork, tower
The Gull Rock light is a great lens turned by clockwork and lit by a paraffin flame. It needs oil in the reservoir (three measures last the night) and the clockwork housing opened with the brass key from the storeroom cabinet. Dark, it leaves the reef invisible to anything rounding the point.
-> END
