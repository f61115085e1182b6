"""Every rule of the triage policy fires on a message that carries it, and stays
silent on a near miss (negated, hypothetical, or missing one ingredient).

Messages go through the real extractor, so these test the lexicon, ConText and
the rule table together.
"""

from __future__ import annotations

import pytest

from clinical.extractor import extract
from clinical.triage import load_rules, triage

# rule id -> (messages that fire it, near misses that must not)
CASES = {
    "stroke_or_tia": (
        [
            "my face suddenly drooped on one side",
            "my speech suddenly went slurred for ten minutes and then came back",
            "suddenly my left arm went weak",
            "all of a sudden my leg went numb",
        ],
        [
            "no drooping of my face, just an eyelid twitch",
            "my speech has been slightly slurred over the last few months, not sudden",
        ],
    ),
    "sudden_paralysis": (
        ["I suddenly can't move my arm"],
        ["I can move my arm fine, it just twitches", "I get sleep paralysis"],
    ),
    "crisis": (
        ["I don't want to live like this any more", "I've been thinking about ending my life"],
        ["I'm not suicidal, just worried", "this twitching is killing me lol"],
    ),
    "thinks_stroke_or_heart_attack": (["I think I'm having a stroke"], ["my uncle had a stroke last year"]),
    "droop_not_sudden": (
        ["my face started drooping a few days ago", "I've been seeing double on and off for two weeks"],
        ["my face suddenly drooped an hour ago", "my eyelid twitches"],
    ),
    "pesticide_exposure": (
        ["sprayed insecticide yesterday, now my arms twitch"],
        ["my arms twitch after the gym", "I work in an office and my eyelid twitches"],
    ),
    "poisoning": (
        [
            "my 4yo got into my adhd tablets, ate maybe 3",
            "I took a lot more of my sertraline than I should have tonight",
        ],
        ["I take my tablets every morning", "I took my pills late today and my calf twitches"],
    ),
    "stimulant_toxicity": (
        ["took ecstasy and now I'm twitching and overheating"],
        ["no pills, just energy drinks and a twitchy calf"],
    ),
    "new_confusion": (["my mum became confused this afternoon"], ["I'm confused by all the info about BFS"]),
    "rhabdomyolysis": (
        ["after a marathon my legs are in agony and my urine is dark brown"],
        ["legs sore after the gym, urine a normal colour"],
    ),
    "rhabdomyolysis_little_urine": (
        ["after a crush injury my leg is swollen and I've barely passed any urine"],
        ["I pee normally and my urine is clear"],
    ),
    "breathing_at_rest": (
        ["I can't breathe properly", "I'm so breathless at rest I can't finish a sentence"],
        ["breathing fine, no problems breathing", "I get short of breath on the stairs"],
    ),
    "cannot_swallow": (["I can't swallow anything, not even my spit"], ["I can swallow fine, no choking"]),
    "rapidly_spreading_weakness": (
        [
            "after the flu my legs got weak and it is spreading up fast",
            "my legs suddenly gave way and I keep falling today",
        ],
        ["my legs twitch but there is no weakness spreading", "I fell off my bike last year, now my calf twitches"],
    ),
    "organophosphate_poisoning": (
        [
            "I sprayed insecticide and now I'm twitching and drooling",
            "after using pesticide I have twitching and tiny pupils",
        ],
        ["I sprayed insecticide last month and my calf twitches a bit"],
    ),
    "serotonin_syndrome": (
        [
            "I'm on sertraline and now I have a fever, I'm confused and jerking",
            "took tramadol and feel very agitated with twitching",
        ],
        ["I'm on sertraline and I twitch a bit, no fever, not confused"],
    ),
    "neuroleptic_malignant_syndrome": (
        ["on haloperidol and now I have a high fever and I'm rigid"],
        ["on haloperidol, no fever, some twitching", "on olanzapine and feel stiff but no fever"],
    ),
    "collapse_seizure_chest_pain": (
        ["I fainted this morning", "my son had a seizure", "chest pain and twitching in my arm"],
        ["no chest pain, never fainted, just twitches"],
    ),
    "functional_weakness": (
        [
            "my right hand is weaker and I keep dropping cups",
            "I keep tripping over my own feet lately",
            "I struggle with buttons now",
            "my legs are getting weaker",
        ],
        ["no weakness, I can walk fine", "my calf twitches, not dropping anything"],
    ),
    "muscle_wasting": (
        ["the muscle between my thumb and finger looks hollow", "my left calf looks smaller than the right"],
        ["no wasting, muscles look the same", "I keep checking for wasting but have not seen any"],
    ),
    "bulbar_change": (
        ["my speech has got slurred over a few months", "I've been coughing when I drink", "my tongue keeps twitching"],
        ["no trouble swallowing or speaking", "my calf twitches"],
    ),
    "respiratory_weakness": (
        [
            "I get breathless climbing stairs",
            "I wake up with headaches every morning",
            "short of breath when lying flat",
        ],
        ["my breathing is fine", "no shortness of breath"],
    ),
    "early_guillain_barre": (
        ["after a stomach bug, tingling is rising from both feet, I can still walk"],
        ["tingling in both feet for a year, no infection"],
    ),
    "fluoroquinolone_reaction": (
        ["I'm on ciprofloxacin and my achilles tendon hurts", "started levofloxacin and my legs feel weak"],
        ["I'm on ciprofloxacin and my eyelid twitches, no pain, no weakness"],
    ),
    "statin_myopathy": (
        ["on atorvastatin and my muscles ache all the time", "I take a statin and have dark urine"],
        ["I take simvastatin, twitching only, no muscle pain"],
    ),
    "mild_serotonin_toxicity": (
        ["I just started sertraline and now my muscles twitch and I'm sweating"],
        ["I've been on sertraline for years and my eye twitches"],
    ),
    "electrolyte_loss": (
        [
            "I'm on water tablets and feel weak with palpitations",
            "after days of vomiting and diarrhoea I have muscle spasms",
        ],
        ["I take furosemide and my eyelid twitches sometimes"],
    ),
    "lasting_over_two_weeks": (
        ["my calf has twitched for 3 weeks", "twitching for about two months now"],
        ["my calf has twitched for 3 days", "my neurologist said BFS, normal EMG, twitching for 2 years, nothing new"],
    ),
    "widespread_twitching": (
        ["I twitch all over my body", "twitching in my calves, arms and back"],
        ["just my left eyelid twitches"],
    ),
    "numbness_or_tingling": (["my feet feel numb and tingly"], ["no numbness or tingling at all"]),
    "felt_weakness_function_kept": (
        ["my legs feel heavy but I can still walk and run", "my arm feels weak though I can lift as before"],
        ["no weakness and no heaviness"],
    ),
    "nightly_cramps": (["I get cramps in my calves every night"], ["I had one cramp last month"]),
    "family_history_of_als": (
        ["my dad had ALS and now my calf twitches", "my mum died of motor neurone disease"],
        ["I'm scared I have ALS", "no family history of ALS"],
    ),
    "fifty_plus_with_widespread_twitching": (["I'm 58 and twitching everywhere"], ["I'm 28 and twitching everywhere"]),
    "medicine_that_can_cause_twitching": (
        ["I just started adderall", "I've started using my salbutamol inhaler a lot", "I'm on omeprazole long term"],
        ["I don't take any medicines", "I take paracetamol sometimes"],
    ),
    "overactive_thyroid_signs": (["losing weight without trying and my hands shake"], ["no weight loss, no tremor"]),
    "disruptive_health_anxiety": (
        ["I keep checking my muscles and can't stop worrying"],
        ["I'm not worried, just curious why my eye twitches"],
    ),
    "known_condition_with_new_symptoms": (["I have MS and new twitching in my legs"], ["no known conditions"]),
}


def fired(text: str) -> set:
    return {reason.rule for reason in triage(extract(text)).reasons}


def test_every_rule_of_the_table_is_tested():
    assert {rule["id"] for rule in load_rules()["rules"]} == set(CASES)


@pytest.mark.parametrize("rule,text", [(rule, t) for rule, (pos, _) in CASES.items() for t in pos])
def test_rule_fires(rule, text):
    assert rule in fired(text), extract(text)


@pytest.mark.parametrize("rule,text", [(rule, t) for rule, (_, neg) in CASES.items() for t in neg])
def test_rule_stays_silent_on_a_near_miss(rule, text):
    assert rule not in fired(text), extract(text)


def test_no_rule_means_self_care_with_a_safety_net():
    result = triage(extract("my eyelid has twitched for 3 days since I started drinking energy drinks"))
    assert result.level == "self_care"
    assert "weakness" in result.safety_net and "2 weeks" in result.safety_net
    assert [c["fact"] for c in result.causes] == ["trigger:caffeine"]


def test_highest_level_wins_and_reasons_quote_the_person():
    result = triage(extract("my calf has twitched for a month and my hand is weaker, I keep dropping things"))
    assert result.level == "urgent"
    assert result.deciding_reasons[0].rule == "functional_weakness"
    assert "keep dropping things" in result.deciding_reasons[0].evidence
    assert {r.rule for r in result.reasons} >= {"functional_weakness", "lasting_over_two_weeks"}


EMERGENCY_PHRASINGS = [
    "one side of my face has dropped and my smile is crooked",
    "my words are all jumbled and it started suddenly",
    "I'm gasping for air",
    "struggling for breath even lying still",
    "my dad keeled over in the kitchen",
    "my arm won't move at all since this morning",
    "my mum's mouth suddenly drooped and she can't lift her arm",
    "the weakness is spreading up my body since yesterday",
    "I have a tight crushing feeling in my chest",
    "I can't swallow my saliva and I'm drooling",
    "she's having a fit and her arms are jerking",
    "I took sertraline and tramadol, now I'm sweating, shaking and have a high temperature",
    "my speech suddenly became slurred and my hand went numb",
    "I blacked out for a minute",
    "my leg suddenly gave out and I can't feel it",
    "I can't move the left side of my body since this morning",
    "he's been on haloperidol, now he's got a fever and he's all stiff and confused",
    "after spraying crops I'm twitching, sweating buckets and my pupils are tiny",
]


@pytest.mark.parametrize("text", EMERGENCY_PHRASINGS)
def test_the_deterministic_layer_alone_flags_emergency_phrasings(text):
    assert triage(extract(text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "I have a crushing feeling of dread about my twitching",
        "my calf twitch won't stop",
        "this eyelid twitch is driving me mad",
    ],
)
def test_everyday_worry_words_are_not_emergencies(text):
    assert triage(extract(text)).level != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my face is drooping on one side",
        "my mum's mouth is drooping and she can't lift her arm",
        "I can't move the left side of my body",
    ],
)
def test_a_drooping_face_or_a_limb_that_cannot_move_with_no_time_said_is_an_emergency(text):
    assert triage(extract(text)).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my face has been drooping a little more over the past months",
        "I can't lift my arm as high as I could a few weeks ago",
    ],
)
def test_a_drooping_face_or_weak_limb_that_came_on_over_weeks_is_not_an_emergency(text):
    assert triage(extract(text)).level != "emergency"


@pytest.mark.parametrize(
    "text", ["my left arm feels weak", "my speech sounds a bit slurred to me", "My right leg feels numb and weak."]
)
def test_a_new_loss_of_function_of_unknown_onset_asks_with_the_instruction(text):
    result = triage(extract(text))
    assert result.outcome == "ask_onset" and result.level == "urgent"
    assert "call the emergency number" in result.onset_instruction


def test_the_crisis_response_comes_first_and_warmly():
    result = triage(extract("I don't want to be alive anymore if this is ALS"))
    assert result.crisis and result.level == "emergency" and result.reasons[0].rule == "crisis"
    assert "988" in result.action and "116 123" in result.action and "sorry" in result.action


def test_the_emergency_reply_names_what_it_heard():
    from clinical.triage import emergency_echo

    echo = emergency_echo(triage(extract("My face suddenly drooped and my mum is driving me to hospital")))
    assert '"face suddenly drooped"' in echo and "misunderstood" in echo
    assert emergency_echo(triage(extract("my calf twitches"))) == ""
