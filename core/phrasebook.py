"""The offline composer's own words: many realizations per slot, so fifty drafts of one
kind do not share their sentences (the best case / worst case framing aside).

Each entry is a whole sentence, or a frame with {slots} the composer fills from the
contact's facts. Every sentence has a verb, states no fact of its own (no names, numbers
or claims about the recipient) and asks for nothing except the intro's invitation.
"""

from __future__ import annotations

SIGNOFFS = [
    "Warmly,", "All the best,", "With thanks,", "Cheers,", "Thanks again,", "Gratefully,",
    "Best wishes,", "Many thanks,", "With appreciation,", "Kind regards,", "Warm wishes,",
    "With gratitude,", "Thank you,", "All my best,", "Warmest wishes,", "Best regards,",
    "Thanks so much,", "Take care,", "Best,", "Warm regards,", "Talk soon,", "Yours,",
]  # fmt: skip

GREETINGS = ["Hi {n},", "Hello {n},", "Dear {n},", "Hey {n},"]
#: When the name cell is a formula, a link or an address (see `Contact.greeting_name`).
NEUTRAL_GREETINGS = ["Hi there,", "Hello,", "Hello there,", "Hi,"]

COMPLIMENT_OPENERS = [
    "I've been meaning to write this note for a while.",
    "This is a short note of thanks, and a long overdue one.",
    "I wanted to send you a quick word of appreciation.",
    "This is a small thank-you that I should have sent sooner.",
    "I don't write notes like this often, but this one was overdue.",
    "I hope it's alright to send you a short thank-you.",
    "I've owed you this thank-you for a while.",
    "I wanted to take a minute to say thank you.",
    "This note is simply here to say thank you.",
    "I've wanted to tell you this for some time.",
    "Let me start with a plain and simple thank-you.",
    "I thought you might like to know that your work reached someone.",
    "I'm writing with nothing but thanks.",
    "I wanted to write and say thank you properly.",
    "This has been on my list of notes to write for a while.",
    "I finally sat down to write this thank-you.",
    "I wanted you to hear this directly from me.",
    "It seemed wrong to keep this thank-you to myself.",
]
#: {np}: "your talk on X". {Np}: the same, capitalised. {have}: has/have by number.
WORK_NP_FRAMES = [
    "I keep coming back to {np}.",
    "{Np} {have} stayed with me.",
    "I still think about {np}.",
    "I wanted to thank you for {np}.",
    "{Np} made a real impression on me.",
    "I'm grateful for {np}.",
]
#: {clause}: "You gave a talk on X" (past) or "You draw the weekly comic" (present).
WORK_CLAUSE_PAST = [
    "{clause}, and it has stayed with me.",
    "{clause}, and I keep coming back to it.",
    "{clause}, and I still think about it.",
    "{clause}, and it made a real impression on me.",
    "{clause}.",
]
WORK_CLAUSE_PRESENT = [
    "{clause}, and I'm really glad you do.",
    "{clause}, and I'm grateful for it.",
    "{clause}, and it means more than you might think.",
    "{clause}, and it shows how much you care.",
    "{clause}.",
]
#: {reason}: a sentence from the notes saying what the work changed for the sender.
REASON_FRAMES = [
    "Here's why it mattered to me: {reason}.",
    "It mattered to me because {reason}.",
    "It made a real difference for me: {reason}.",
    "Here is what it changed for me: {reason}.",
    "{Reason}.",
]
INTERESTS_FRAMES = [
    "It's also lovely to see someone care this much about {x}.",
    "It's good to see someone take {x} this seriously.",
    "I also love how much you care about {x}.",
    "It's rare to find someone who cares about {x} the way you do.",
]
COMPLIMENT_CLOSINGS = [
    "No reply needed; I just wanted you to know it landed.",
    "Nothing to ask. I only wanted to say thank you.",
    "That's all: thank you for putting it out into the world.",
    "No need to answer; I simply wanted you to hear it.",
    "There's no need to reply; I just wanted to pass this on.",
    "That's the whole note: thank you.",
    "I hope it's nice to hear; no answer needed.",
    "I don't need anything back; I only wanted to say it.",
    "Please don't feel you have to reply.",
    "Thank you for making it, and for sharing it.",
    "I hope this brightens your day a little; nothing more to it.",
    "I wanted you to know that it mattered to someone.",
    "That's really all I wanted to say.",
    "No answer expected; thank you again.",
    "I'll leave it at that, with thanks.",
    "Keep doing what you do.",
    "Thank you for doing the work, and for doing it so well.",
]
COMPLIMENT_SIGNOFFS = SIGNOFFS

#: Who the sender is. {full}/{first}: their name, {role_a}: "a product engineer",
#: {role}: "product engineer", {company}.
WHO_ROLE_COMPANY = [
    "I'm {full}, {role} at {company}.",
    "My name is {full}, and I'm {role_a} at {company}.",
    "I'm {first}, {role_a} at {company}.",
    "Quick introduction: I'm {full}, {role} at {company}.",
    "Let me introduce myself: I'm {full}, {role_a} at {company}.",
    "I'm {full}, and I work as {role_a} at {company}.",
    "A quick word about me: I'm {full}, {role_a} at {company}.",
    "I'm {full}; I work at {company} as {role_a}.",
    "My name is {full}; I'm {role_a} at {company}.",
    "To introduce myself, I'm {first}, and I work at {company} as {role_a}.",
    "A little about me: I'm {first}, and I'm {role_a} at {company}.",
    "I'm {full}, and by day I'm {role_a} at {company}.",
    "First, who I am: {full}, {role_a} at {company}.",
    "Some context on me: I'm {full}, {role_a} at {company}.",
    "I work at {company} as {role_a}; my name is {full}.",
    "I should introduce myself: I'm {full}, {role_a} at {company}.",
]
WHO_ROLE = [
    "I'm {full}, {role_a}.",
    "My name is {full}, and I'm {role_a}.",
    "Quick introduction: I'm {full}, {role_a}.",
    "Let me introduce myself: I'm {full}, and I work as {role_a}.",
    "A quick word about me: I'm {first}, {role_a}.",
    "I'm {full}, and I work as {role_a}.",
    "Some context on me: I'm {full}, {role_a}.",
    "I should introduce myself: I'm {full}, {role_a}.",
    "First, who I am: {full}, {role_a}.",
]
WHO_COMPANY = [
    "I'm {full}, and I work at {company}.",
    "My name is {full}; I work at {company}.",
    "Quick introduction: I'm {full}, from {company}.",
    "Let me introduce myself: I'm {first}, and I work at {company}.",
    "A quick word about me: I'm {full}, at {company}.",
    "Some context on me: I'm {full}, and I work at {company}.",
    "I should introduce myself: I'm {full}, from {company}.",
]
WHO_NAME = [
    "I'm {full}.",
    "My name is {full}.",
    "Let me introduce myself: I'm {full}.",
    "Quick introduction: my name is {full}.",
    "A quick word about me: I'm {full}.",
    "I should introduce myself: I'm {full}.",
    "Some context first: my name is {full}.",
]
WHO_INTERESTS = [
    "I'm someone who spends a lot of time on {x}, like you.",
    "A quick word about me: I care a lot about {x} too.",
    "Like you, I spend a lot of my time on {x}.",
    "We haven't met, but I care about {x} as much as you seem to.",
    "I'm writing as a fellow fan of {x}.",
]
WHO_STRANGER = [
    "I'm writing as someone who has followed your work for a while.",
    "We haven't met yet, so let me explain why I'm writing.",
    "You don't know me yet, so I'll keep this short.",
    "I'm writing to you out of the blue, so I'll be brief.",
    "I hope you don't mind a note from someone you haven't met.",
    "This is a first message from someone who admires your work.",
    "We've never met, but I've wanted to write to you for a while.",
    "I know a message from a stranger can be a lot, so I'll keep it brief.",
    "I'm a stranger to you, so here is why I'm writing.",
    "Let me say up front that this note comes with no strings attached.",
    "I'm reaching out cold, so let me keep this light.",
    "This comes from a stranger who admires what you do.",
    "I'll be upfront: we haven't met, and this note asks for nothing big.",
    "You don't know me, and that's why I'm writing.",
    "I've wanted to reach out for a while, so here goes.",
    "I'm writing from a little outside your circle.",
    "I hope a note from a stranger is a pleasant surprise.",
    "I know cold notes are easy to ignore, so I'll keep mine short.",
]
#: The lead before why the sender writes to this person; {why} is a clause or phrase.
WHY_CLAUSE_FRAMES = [
    "I'm writing because {why}.",
    "Here's why I wanted to write to you in particular: {why}.",
    "The reason I'm reaching out is simple: {why}.",
    "What made me want to write is this: {why}.",
    "I'm reaching out because {why}.",
]
WHY_NP_FRAMES = [
    "I'm reaching out because of {np}.",
    "{Np} {is} the reason I'm writing.",
    "I'm writing because {np} stuck with me.",
    "What made me want to write is {np}.",
    "I'm writing to you because of {np}.",
]
SHARED_INTEREST_FRAMES = [
    "It also looks like we share an interest in {x}.",
    "It seems we both care about {x}, too.",
    "We also seem to share a soft spot for {x}.",
    "On top of that, it looks like we're both into {x}.",
]
#: Exempt from the variety target: the framing is what the kind is.
FRAMINGS = [
    "Best case, we end up working together and make something great; worst case, you have "
    "a new friend in the field.",
    "The best case is that someday we build something good together. The worst case is "
    "that you gain a new friend in the industry.",
    "Best case, we find a way to make something together down the line; worst case, you "
    "have one more friend in a small world.",
    "Best case, we make something great together one day; worst case, we're two people in "
    "the same field who know each other a little better.",
]
INVITATIONS = [
    "Would you be open to a 20-minute call sometime in the next few weeks, just to get to "
    "know each other?",
    "If you're up for it, I'd love to grab a coffee or have a short call, simply to get to "
    "know each other.",
    "Any chance you'd be up for a quick video chat at some point, 30 minutes at most?",
    "Would a short call sometime this month or next suit you, with no agenda at all?",
    "If you ever have 20 minutes, I'd love a call to hear how you think about your work.",
    "Would you like to have a coffee sometime, or a short call if that's easier?",
    "I'd be glad to buy you a coffee, or to have a short video chat if you're far away.",
    "Could we have a 15-minute call at some point, only to say hello properly?",
    "If a short chat over coffee or video ever suits you, I'd really enjoy it.",
    "Would you be up for a relaxed 20-minute chat whenever your calendar allows?",
    "Maybe we could have a short call one of these weeks, just to get acquainted?",
    "If you're open to it, a quick coffee or call sometime would make my month.",
    "Would you be open to a short call one day, with no goal but to compare notes?",
    "If you'd like, we could grab a coffee and simply talk shop for half an hour.",
    "Could I buy you a coffee, or would a short video chat be easier?",
    "Would you fancy a short call at some point, just to say hello?",
    "If you ever fancy a walk and a coffee, I'd love to meet properly.",
    "Would a quick chat, 20 minutes and no more, work for you sometime?",
]
EASY_OUTS = [
    "No worries at all if the timing is wrong.",
    "It's completely fine to say no.",
    "An easy no is completely fine.",
    "There's nothing to prepare, and no is a perfectly good answer.",
    "If you're too busy, I completely understand.",
    "And if now isn't a good time, that's fine too.",
    "Please feel free to ignore this if you're swamped.",
    "No pressure at all; a no is fine.",
    "If it doesn't suit you, no reply is needed.",
    "Saying no is absolutely fine, and I won't follow up.",
    "If the timing isn't right, I understand completely.",
    "It's fine to pass; I know how full calendars get.",
    "If not, there are no hard feelings at all.",
    "Only if it suits you; no is a fine answer.",
    "If this isn't for you, please don't worry about replying.",
    "No need to answer quickly, or at all.",
    "There's no agenda, and no wrong answer.",
    "If you'd rather not, I completely get it.",
]
INTRO_SIGNOFFS = SIGNOFFS

FOLLOW_UP_OPENERS = [
    "It was great meeting you at {event}.",
    "I'm really glad we met at {event}.",
    "Thank you for the conversation at {event}.",
    "Meeting you at {event} was a highlight for me.",
    "I enjoyed meeting you at {event}.",
    "It was a real pleasure to meet you at {event}.",
    "I'm so glad our paths crossed at {event}.",
    "Thanks for making {event} more fun.",
    "I left {event} glad that we'd met.",
    "Our conversation at {event} made my day.",
]
FOLLOW_UP_OPENERS_NO_EVENT = [
    "It was great meeting you.",
    "I'm really glad we met.",
    "Thank you for the conversation the other day.",
    "Meeting you was a highlight of my week.",
    "I enjoyed meeting you.",
    "It was a real pleasure to meet you.",
    "I'm so glad our paths crossed.",
    "I came home glad that we'd met.",
    "Our conversation made my day.",
    "It was lovely to meet you.",
]
#: {moment}: a clause ("we talked by the dessert table about Confucius").
MOMENT_CLAUSE_FRAMES = [
    "One moment has stayed with me: {moment}.",
    "I keep thinking about our conversation: {moment}.",
    "I'm still smiling about it: {moment}.",
    "The best part for me: {moment}.",
    "I haven't forgotten it: {moment}.",
    "That stayed with me: {moment}.",
]
MOMENT_NP_FRAMES = [
    "I keep thinking about {np}.",
    "{Np} {have} stayed with me.",
    "I'm still smiling about {np}.",
    "I haven't forgotten {np}.",
]
GIFTS_LINK = [
    "Here's the link I mentioned: {url}",
    "As promised, here's the link: {url}",
    "Here is the link I promised: {url}",
    "This is the link we talked about: {url}",
]
GIFTS_THANKS = [
    "Thank you for that conversation; it was the best part of the day for me.",
    "Thanks for making the day better; conversations like that are why I go to these things.",
    "Thank you for your time and your stories. I took a lot away from them.",
    "Thanks for the good company; I came home with a lot to think about.",
    "I'm grateful for the time you gave me; it was the highlight of my day.",
    "Thank you for being so easy to talk to.",
    "Thanks for sharing your stories; I've been thinking about them since.",
    "That conversation was a real gift, so thank you.",
    "Thank you for the warm welcome and the good conversation.",
    "I'm glad I stayed for that conversation, so thank you for it.",
    "Thanks for the conversation; it made the whole trip worthwhile.",
    "Thank you for your openness; it made the day better.",
    "Thank you for the good talk; it's still on my mind.",
    "Thanks for the company; it made the day.",
    "I'm glad we got to talk, so thank you.",
    "Thank you for taking the time to chat with a stranger.",
    "I really appreciated your time and your ideas.",
    "Thanks for the laughs and the good ideas.",
]
FOLLOW_UP_CLOSINGS = [
    "Hope to see you at the next one.",
    "Hope our paths cross again soon.",
    "Looking forward to crossing paths again.",
    "I hope we run into each other again soon.",
    "I'll look out for you at the next one.",
    "I hope the rest of your week is a good one.",
    "I'd be glad to see you there again.",
    "Enjoy the rest of your week.",
    "I hope we meet again before long.",
    "I hope to see you around again soon.",
    "Here's to the next time our paths cross.",
    "I hope the rest of your month goes well.",
    "I hope we cross paths again soon.",
    "See you at the next one, I hope.",
    "I'll keep an eye out for you next time.",
    "Until we meet again, take care.",
    "I'll say hello if I spot you at the next one.",
    "I hope we get to talk again before long.",
]
FOLLOW_UP_SIGNOFFS = SIGNOFFS
