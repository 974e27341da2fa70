"""The examples that showed the detector missing real people's pitches (issue 11).

Each pitch must be flagged, its explanation must name the sentence that carries the ask,
and the kind's structure check must fail too. The genuine look-alike must stay clear.
"""

from __future__ import annotations

from core.composer import compose
from core.contacts import Contact
from core.kinds import Kind
from core.models import Sender
from evals.checks import run_checks
from evals.pitch import detect_pitch
from evals.pitch.rules import score_sentence

CLIMBING = (
    "Great meeting you at the climbing gym on Saturday! We're hiring backend engineers and "
    "you'd be a great fit. Open to chatting about the role?"
)
REALTOR = (
    "Congrats on the new job! If you ever need a realtor for the move, I'd love to help you "
    "find a place, here's my card."
)
TRIAL_PS = (
    "P.S. Speaking of which, our static analysis platform finds dead code automatically. "
    "Happy to set you up with a free trial."
)
OFFER_MAIL = (
    "Subject: Your spring savings are here\n\nHi there,\n\nWe picked three printers we think "
    "you'll love, each 25% off until Sunday. Order today and we'll ship for free. Click below "
    "to fill in the short form and claim your discount.\n\nThe Inkwell team"
)

PRIYA = Contact(
    name="Priya Raman",
    their_work="Gave a talk at PyCon 2024 on testing async code",
    notes="Her pytest-asyncio fixture tips cut our CI time in half.",
    event="PyCon 2024",
    how_we_met="talked after her PyCon talk",
)
SAM = Sender(name="Sam Lee")


def _named(text: str) -> list[str]:
    verdict = detect_pitch(text)
    assert verdict.is_pitch, verdict
    return [r.sentence for r in verdict.reasons]


def test_recruiting_pitch_after_a_shared_moment_is_flagged_and_named() -> None:
    named = _named(CLIMBING)
    assert any("hiring" in s or "the role" in s for s in named), named


def test_selling_the_senders_service_inside_congratulations_is_flagged_and_named() -> None:
    named = _named(REALTOR)
    assert any("realtor" in s for s in named), named


def test_free_trial_ps_on_an_offline_compliment_fails_the_pitch_and_structure_checks() -> None:
    draft = compose(PRIYA, Kind.COMPLIMENT, SAM).text
    assert not detect_pitch(draft).is_pitch
    text = f"{draft}\n\n{TRIAL_PS}"
    named = _named(text)
    assert any("free trial" in s or "static analysis" in s for s in named), named
    report = run_checks(text, PRIYA, Kind.COMPLIMENT, SAM)
    failed = {r.name: r.reasons for r in report.results if not r.passed}
    assert "not_pitch" in failed and "structure" in failed, failed


def test_a_follow_up_turned_into_a_pitch_fails_its_structure_check() -> None:
    draft = compose(PRIYA, Kind.FOLLOW_UP, SAM).text
    text = f"{draft}\n\n{TRIAL_PS}"
    report = run_checks(text, PRIYA, Kind.FOLLOW_UP, SAM)
    structure = next(r for r in report.results if r.name == "structure")
    assert not structure.passed
    assert any("asks for nothing" in reason for reason in structure.reasons)


def test_plain_commercial_offer_mail_is_flagged() -> None:
    named = _named(OFFER_MAIL)
    assert any("Order today" in s or "Click below" in s or "25% off" in s for s in named), named


def test_the_genuine_counterparts_stay_clear() -> None:
    genuine = [
        "Great meeting you at the climbing gym on Saturday! You mentioned you're job hunting: "
        "my friend's team is hiring backend engineers, want me to pass on your name?",
        "Congrats on the new job! If you need anything for the move, the moving company we "
        "used was great, here's their number.",
        compose(PRIYA, Kind.COMPLIMENT, SAM).text,
    ]
    for text in genuine:
        assert not detect_pitch(text).is_pitch, text


# Creators promoting their own content: PRODUCT.md counts subscribe, share and promote the
# sender's thing. Written for this test (the team's own words, not the public corpora's).
CREATOR_PITCHES = [
    (
        "Loved your knife-sharpening video, the angle guide was so clear. I just started a "
        "cooking channel too, please check my channel out and subscribe if you like it!",
        "check my channel out",
    ),
    ("Great set at the open mic! Would you listen to my new single and share it?", "my new single"),
    ("hey!! sub 4 sub? i'm at 40 subs, will sub back", "sub 4 sub"),
    ("Nice post. Go to my page and follow me for daily recipes :)", "Go to my page"),
]


def test_promoting_the_senders_own_content_is_flagged_and_named() -> None:
    for text, phrase in CREATOR_PITCHES:
        named = _named(text)
        assert any(phrase.lower() in s.lower() for s in named), (text, named)


def test_engagement_words_about_the_recipients_content_stay_clear() -> None:
    genuine = [
        "I watched your video on sourdough twice and finally got an open crumb. Thank you!",
        "Your comment on my post last spring stuck with me, so I wanted to say thanks.",
        "Please follow up with Sam about the venue when you can, no rush.",
        "I just subscribed to your newsletter; the issue on weak ties was my favourite.",
    ]
    for text in genuine:
        assert not detect_pitch(text).is_pitch, text


# The sender's small business, client work and creative work (written for this test, not
# taken from any measured set): the ask is to become the sender's customer or backer.
SENDERS_BUSINESS_PITCHES = [
    (
        "Loved your talk on onboarding. P.S. I'm a certified personal trainer now and would "
        "love to take you on as a client.",
        "take you on as a client",
    ),
    (
        "Great to see you at the reunion! Whenever you're ready to sell the flat, I can get "
        "you a better price than the agents on the high street.",
        "get you a better price",
    ),
    (
        "Your thread on grief was so honest. My memoir comes out next week and I'd be grateful "
        "if you picked up a copy.",
        "picked up a copy",
    ),
    (
        "Congrats on the exit! If you're looking for deals, we're raising a seed round and "
        "I'd be happy to share our data room.",
        "data room",
    ),
    (
        "Thanks for the chat at the meetup. By the way, our pottery studio is running a free "
        "first class this month, grab a spot before they go.",
        "grab a spot",
    ),
]


def test_asks_to_become_the_senders_customer_or_backer_are_flagged_and_named() -> None:
    for text, phrase in SENDERS_BUSINESS_PITCHES:
        named = _named(text)
        assert any(phrase.lower() in s.lower() for s in named), (text, named)


def test_the_recipients_own_business_and_third_party_offers_stay_clear() -> None:
    genuine = [
        "Your bakery's sourdough got me through the winter; thank you for opening so early.",
        "I'm a certified trainer too, and your post on mobility changed how I coach.",
        "Random, but the city library is giving free passes to the science museum this month. "
        "Thought of your kids!",
        "Congrats on the memoir! I picked up a copy at the launch and read it in one sitting.",
        "Any time you want to swap notes on running a small studio, I'm around. No agenda.",
    ]
    for text in genuine:
        assert not detect_pitch(text).is_pitch, text


def test_a_question_about_the_readers_habits_is_not_an_ask() -> None:
    # Fresh sentences: asking what someone has done is small talk, not a request, even
    # when it names giving; asking them to give, or naming the sender's cause, still asks.
    from evals.pitch.rules import score_sentence

    for habit in (
        "Have you ever donated to a children's charity?",
        "Great, do you usually give to local causes?",
        "Did you volunteer at the food bank last winter?",
    ):
        signal = score_sentence(habit)
        assert not signal.ask and signal.score < 0.6, habit
    for ask in (
        "Would you donate to our rehearsal fund?",
        "Have you ever donated to our charity?",
        "Have you ever considered a free trial of our platform?",
    ):
        assert score_sentence(ask).score >= 0.9, ask
    assert not detect_pitch(
        "Lovely to meet you at the fun run! Have you ever donated to a children's charity? "
        "I only started last year and it got me running."
    ).is_pitch


def test_bulk_sales_copy_is_flagged_and_named() -> None:
    # Fresh lines in the register of bulk commercial mail: a cut price or product to take now.
    for text, sentence in (
        (
            "Subject: Spring clear-out\nGet your 60% off today on every garden chair.",
            "Get your 60% off",
        ),
        ("Our printer ink is 70% cheaper than in stores. Stock up while it lasts.", "70% cheaper"),
        (
            "Tired of slow laptops? Call us anytime on our free line for an upgrade.",
            "Call us anytime",
        ),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # The sender's own saving, told as news, asks nothing.
    for genuine in (
        "We got 30% off the venue because we booked early, so the book club stays free.",
        "Get your coat, it is cold today and the walk starts at nine.",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_being_told_to_sign_up_or_buy_at_a_link_is_flagged_and_named() -> None:
    # Fresh lines: the reader is sent to a link to join, register, click or order.
    for text, sentence in (
        (
            "Loved the stream tonight! Go join the giveaway at prizeloot.io, it ends Sunday.",
            "Go join",
        ),
        (
            "New recipes every week. Click through to mealcrate.com/start for your box.",
            "Click through",
        ),
        ("Seats are going fast. Register now at summitpass.co to keep yours.", "Register now"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # A link to read, watch or fix something is a resource for the reader.
    for genuine in (
        "Thanks for the questions after my talk. Follow the link to the slides: https://speakerdeck.com/ada/queues",
        "If the build fails again, download the latest release from github.com/tiny/tool and it should pass.",
        "Congrats on the paper! The recording of the session is at youtube.com/watch?v=abc if you want it.",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_an_advance_fee_letter_is_flagged_and_named() -> None:
    letter = (
        "Dear friend, I am an auditor at a private bank. I seek your kind assistance to move "
        "an unclaimed deposit abroad. You will keep 30% of the total sum for your trouble."
    )
    verdict = detect_pitch(letter)
    assert verdict.is_pitch
    assert any(r.category == "advance_fee" for r in verdict.reasons), verdict.reasons
    assert any("seek your kind assistance" in r.sentence for r in verdict.reasons)
    for genuine in (
        "My grandmother listed me as her next of kin, so I spent the week at the hospital with her.",
        "Thanks for your cooperation on the office move last week, it went smoothly because of you.",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_a_sale_headline_is_flagged_and_named() -> None:
    for text, sentence in (
        ("Subject: Weekend deal\n65% off every running shoe in the store.", "65% off"),
        ("Subject: Warm up\n-40% winter prices on all heaters.", "-40% winter prices"),
        ("Subject: Garden week\nPatio Day, save 70%!", "save 70%"),
        ("Subject: For you: every lamp at -60%.", "-60%"),
        ("Subject: Spring\nTake 35% discounts on our linen.", "35% discounts"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # A discount the writer got, or a fall in a figure, is news.
    for genuine in (
        "I finally scored 50% off a used bike thanks to your tip, so thank you!",
        "Sales fell -8% in March, which worried the board, but your talk helped me explain why.",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_asking_for_a_creators_numbers_is_flagged() -> None:
    for text in (
        "Love this cover! Help me reach 500 subscribers before my birthday, new songs every week.",
        "first time posting my drawings here, subscribe for me please",
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert verdict.reasons[0].category == "call_to_action", verdict.reasons
    assert not detect_pitch(
        "Your channel helped me reach 500 words a day, thank you for the writing tips."
    ).is_pitch


def test_a_text_keyword_or_a_business_line_to_call_is_flagged() -> None:
    for text, sentence in (
        ("Fancy a new phone? Call TeleDeals on 08001234567 before Friday.", "Call TeleDeals"),
        ("Win a weekend in Rome! Just reply ROME to this text now.", "reply ROME"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # An RSVP keyword is not a text-to-win keyword (the rule alone; the whole detector's
    # view of a dinner invitation is another matter).
    assert score_sentence("Reply YES if you can make it on Friday!").category is None
    # A friend's mobile and a shouted text ask for nothing.
    for genuine in (
        "Call me on 07700 900123 when you land and I'll come and get you.",
        "OK SEE YOU AT 8 TEXT ME WHEN YOU PARK",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_a_free_invitation_is_not_a_ticket_sale() -> None:
    # Fresh lines; the detector once read "can you make it?" after a dinner as selling seats.
    for genuine in (
        "Dinner at ours on Friday, can you make it?",
        "Leaving drinks for Tom at the Anchor on Thursday, hope you can come!",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine
    paid = detect_pitch("Supper club on Friday, it is 40 pounds a head, shall I save you a seat?")
    assert paid.is_pitch


def test_an_ask_to_be_donating_is_named_and_an_opinion_question_is_not() -> None:
    # "donating" was not read as a donation at all ("donate" and "donation" were).
    verdict = detect_pitch(
        "Lovely to chat at the fair! Are you interested in donating to our food bank drive?"
    )
    assert verdict.is_pitch
    assert any(r.category == "fundraising_donation" for r in verdict.reasons), verdict.reasons
    signal = score_sentence("How do you feel about donating to disaster appeals?")
    assert signal.score < 0.9, signal


def test_a_referral_link_or_free_bait_at_a_link_is_flagged_and_named() -> None:
    # Fresh lines: the sender is paid for the click, or the "gift" is bait to click.
    for text, sentence in (
        ("Great chat today! The app I use: https://app.example.com/join?ref=sam42", "ref=sam42"),
        ("https://shop.example.net/deal?aff_id=77310", "aff_id=77310"),
        ("FREE robux for everyone who comments: http://robux-example.com/get", "FREE robux"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # A site's own tracking word and a plain link to share stay clear.
    for genuine in (
        "The slides are at https://example.com/talk?ref=homepage if you want them.",
        "Here's the recording I mentioned: https://example.org/video/123",
    ):
        assert not detect_pitch(genuine).is_pitch, genuine


def test_a_pair_of_engagement_asks_is_flagged_but_the_verbs_in_prose_are_not() -> None:
    assert detect_pitch("Loved the meetup. Like & share this page on Facebook").is_pitch
    assert score_sentence("I'd like and share your worry about the deadline.").score < 0.9


def test_a_donation_asked_outright_is_flagged_and_not_asking_stays_clear() -> None:
    # Fresh lines in the forms PersuasionForGood's persuaders used.
    for text in (
        "It was lovely to catch up at the fair. I am asking you to donate a little to our appeal.",
        "Great talk on Thursday! You can help the shelter stay open by donating this month.",
        "Thanks for the chat. Why not give some money to the school roof fund?",
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(r.category == "fundraising_donation" for r in verdict.reasons), verdict.reasons
    assert not detect_pitch(
        "I'm not asking you for anything, I just wanted to say thanks for the donation drive idea."
    ).is_pitch
    assert score_sentence("Do you currently give any money to charity?").score < 0.9


def test_a_commenters_subscribe_ask_is_flagged_in_its_own_spellings() -> None:
    # Fresh lines in the shapes the YouTube Spam Collection's self-promoters use.
    for text, sentence in (
        ("Nice beat bro, subcribe to me and I will sub back", "subcribe to me"),
        ("Awesome mix!! subscribe 2 my channel for more remixes", "subscribe 2 my"),
        ("This song never gets old. pls subscribe guys", "pls subscribe"),
        ("Could you become my first subscriber? I post piano covers.", "first subscriber"),
        ("Take a look at my channel if you like drumming covers", "look at my channel"),
        ("great video, like, subscribe", "like, subscribe"),
        ("Fire track!! check out some of my stuff on soundcloud", "some of my stuff"),
        ("New here, help me grow by checking me out?", "checking me out"),
        (
            "Tired of your job? Go to this site and see how I earn from home bit.ly/x7Kp2",
            "this site",
        ),
        ("Free beats for everyone, click that link below!", "click that link"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    # A page's menu, a list's instructions, agreeing with a view, someone else's newsletter
    # and a shift to cover ask nothing for the sender.
    for genuine in (
        "Home | Archive | Subscribe",
        "To subscribe: send a blank email to join@lists.example.org",
        "I subscribe to your view that small teams ship faster.",
        "You should subscribe to Maya's newsletter, it is great.",
        "Could you sub my Thursday shift at the library?",
        "I checked out some of your songs last night, the bridge on the second one is great.",
    ):
        assert score_sentence(genuine).score < 0.9, genuine


def test_a_donation_put_to_the_reader_as_a_choice_is_flagged() -> None:
    # Fresh lines in the forms PersuasionForGood's persuaders used.
    for text in (
        "Thanks for chatting! You can choose to donate part of your bonus to the shelter.",
        "So you'd like to donate to the children's fund?!",
        "I'd recommend a donation of a dollar or two to the kids' charity.",
        "Could you spare 50 cents for the kids?",
        "We are collecting for the animal shelter and were hoping for you to donate.",
        "so you gonna donate or not",
        "Nice chatting! Our choir needs a new piano. Every little bit helps.",
        "I would like to ask you to donate to the flood appeal.",
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(r.category == "fundraising_donation" for r in verdict.reasons), verdict.reasons
    for genuine in (
        "Have you ever donated to a charity before?",
        "What are your thoughts on giving to charity?",
        "I was hoping you'd give me your honest opinion on the second chapter.",
        "Every bit of your talk was useful, thank you.",
    ):
        assert score_sentence(genuine).score < 0.9, genuine


def test_a_premium_rate_number_or_a_keyword_to_a_short_code_is_flagged() -> None:
    # Fresh lines in the shapes of the SMS Spam Collection's paid-line texts.
    for text, sentence in (
        ("Your prize is waiting! 09061234567 before midnight tonight.", "09061234567"),
        ("Claim it today on 09061 234567, lines close at 9pm", "09061 234567"),
        ("Txt word: PRIZE to No: 81234 and it is yours", "No: 81234"),
        ("Meet singles near you by txting DATE to 69123!", "txting DATE"),
    ):
        verdict = detect_pitch(text)
        assert verdict.is_pitch, text
        assert any(sentence in r.sentence for r in verdict.reasons), verdict.reasons
    for genuine in (
        "My new number is 07700 900123, save it!",
        "Call the bank on 0345 300 0000 about the card, they sorted mine in minutes.",
        "The pump takes parts 096400-0920 and 096400-0143, both in stock at the depot.",
    ):
        assert score_sentence(genuine).score < 0.9, genuine
