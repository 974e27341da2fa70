"""Explainable pitch signals: sentences that ask the recipient to do something for the sender.

Each rule pairs an ask with what makes it the sender's benefit, so "happy to intro you to
Maya" (an offer) and "could you intro me to your investors" (an ask) come apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evals.pitch.normalize import split_sentences


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    reason: str
    weight: float = 0.9


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_OURS = r"(?:our|my|we(?:'ve| have| are|'re)?|us|mine)"
_THING = r"(?:app|product|tool|platform|startup|service|software|saas|plugin|extension|beta|course|book|ebook|newsletter|podcast|channel|community|agency|solution|api|sdk|launch|campaign|kickstarter|offer)"

RULES: tuple[Rule, ...] = (
    Rule("product_demo", _r(rf"\b(demo|walkthrough|walk you through|show you (?:around|how|what))\b.{{0,60}}|\b{_OURS}\b.{{0,40}}\b(demo|walkthrough)\b"), "asks for time to see a demo of the sender's product"),
    Rule("product_demo", _r(rf"\b(try|trial|test[- ]drive|sign(?:ing)? up|signup|join (?:the|our) (?:beta|waitlist)|early access|beta invite|pilot|onboard)\b.{{0,60}}\b({_OURS}|{_THING}|free|link|here)\b"), "asks the recipient to try or sign up for the sender's product"),
    Rule("product_demo", _r(rf"\b(thoughts|feedback|opinion|take|eyes)\b.{{0,40}}\b(on|about)\b.{{0,20}}\b(what we're building|{_OURS} (?:{_THING}|prototype|mvp|pitch deck|deck|landing page))"), "asks for feedback on the sender's own product, a soft demo"),
    Rule("buy_discount", _r(r"\b(discount|promo(?:tion)? code|coupon|\d+\s?% off|% off|special (?:price|pricing|offer)|early[- ]bird (?:price|rate)|pricing|buy|purchase|pre-?order|upgrade to|subscribe|subscription|license|per seat|free month)\b"), "offers a price or discount: the real purpose is a sale"),
    Rule("share_promote", _r(r"\b(share (?:it|this|the (?:post|link|launch))|share .{0,30}with your (?:network|audience|followers|team)|retweet|repost|re-?share|upvote|spread the word|signal[- ]boost|shout-?out|product ?hunt|amplify|a plug|mention (?:us|it) (?:in|on)|feature (?:us|it)|post about (?:us|it)|boost|like and comment|leave a comment)\b"), "asks the recipient to share or promote the sender's thing"),
    Rule("review_testimonial", _r(r"\b(testimonial|(?:leave|write|post) (?:us |a )?(?:quick )?review|endorse(?:ment)?|blurb|quote (?:for|on) (?:our|the) (?:site|website|page|launch)|case study|rate us|stars? on|g2|capterra|app store review|trustpilot|vouch for)\b"), "asks for a review, endorsement or testimonial of the sender's product"),
    Rule("referral_hiring", _r(r"\b(refer(?:ral)? me|referral|put in a (?:good )?word|pass (?:along )?my (?:resume|cv|name)|my (?:resume|cv|portfolio)|hiring manager|open (?:role|position|req)|recommend me|hire (?:me|us)|consider me|for the (?:role|position)|job (?:opening|posting)|looking for (?:a |my next )?(?:job|role|position|opportunity))\b"), "asks to be referred or hired: the benefit is the sender's"),
    Rule("intro_buyers_investors", _r(r"\b(introduce me|intro(?:duction)? (?:me )?to|connect me (?:with|to)|put me in touch|loop me in with|point me to|who (?:handles|owns|decides|runs) (?:vendor|procurement|purchasing|buying|tooling)|decision[- ]maker|vendor selection|procurement)\b.{0,80}\b(investors?|vcs?|partners?|fund|angels?|buyers?|customers?|head of|vp|cto|ceo|cfo|director|decision|purchasing|procurement|vendor|team that|budget|leads?)\b"), "asks for an introduction to buyers, investors or decision makers for the sender"),
    Rule("fundraising_donation", _r(r"\b(donat(?:e|ion)|fundrais\w*|sponsor(?:ship)?|pledge|chip in|contribute to|back (?:us|our|the campaign)|kickstarter|gofundme|indiegogo|patreon|invest(?:ing|ment)? in|our (?:seed |pre-seed |series \w )?round|check size|cheque|allocation|angel invest\w*|raising (?:a|our|money))\b"), "asks for money: a donation, sponsorship or investment"),
    Rule("event_tickets", _r(r"\b(tickets?|early[- ]bird|registration (?:fee|closes)|seats? (?:are|left)|grab (?:a|your) (?:seat|spot|pass)|buy (?:a|your) pass|vip pass|attendee pass|sold out|register (?:now|here|today))\b"), "sells tickets or paid registration to the sender's event"),
    Rule("paid_advice", _r(r"\b(coaching|consulting (?:package|engagement|session|rate)|my (?:course|program|programme|cohort|masterclass|workshop)|paid (?:session|call|consultation)|hourly rate|day rate|retainer|\$\d+|book a (?:session|consultation)|strategy session)\b"), "sells the sender's paid advice, coaching or course"),
    Rule("hand_over_contacts", _r(r"\b(send me (?:your|the) (?:list|contacts|emails)|your (?:contact|email|customer|attendee|member) list|export (?:your|the) (?:contacts|list)|share (?:your|the) (?:contacts|list of))\b"), "asks the recipient to hand over contacts"),
)

# Benefits the recipient or is mutual: these never make a sentence an ask for the sender.
OFFER = _r(r"\b(happy to|glad to|i can|i could|i'd be happy|let me know if you(?:'d)? want|if (?:it|that)(?:'d)? help|want me to|i'll send|here(?:'s| is) (?:the|a) link)\b.{0,40}\b(intro(?:duce)?|connect|share|send|help|review|look|read|recommend|refer)\b")
ASK = _r(r"\b(would you|could you|can you|will you|would it be possible|mind|please|if you could|i'd love (?:it )?if you|i'd (?:really )?appreciate (?:it )?if|let me know if you(?:'re| are)? (?:interested|keen|open)|are you open|interested in|check (?:it|us|this) out|take a look|have a look|link below|link here|sign up|click)\b")
LINK = _r(r"https?://\S+|www\.\S+|\b\w+\.(?:io|com|co|ai|app|dev)\b")


@dataclass(frozen=True)
class Hit:
    sentence: str
    category: str
    reason: str
    score: float


def rule_hits(text: str) -> list[Hit]:
    hits: list[Hit] = []
    for sentence in split_sentences(text):
        offer = bool(OFFER.search(sentence))
        asking = bool(ASK.search(sentence)) or bool(LINK.search(sentence))
        for rule in RULES:
            if not rule.pattern.search(sentence):
                continue
            score = rule.weight if asking else rule.weight * 0.75
            if offer and not asking:
                score *= 0.3
            hits.append(Hit(sentence.strip(), rule.category, rule.reason, round(score, 3)))
            break
    return hits
