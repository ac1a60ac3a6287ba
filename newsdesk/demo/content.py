"""Headlines, summaries and Markdown bodies for the demo newsroom, written from templates.

Each topic has pools of headline, paragraph, quote and list templates with slots (`{district}`,
`{n}`, `{speaker}` …). A `Writer` fills the slots for one story from a seeded `random.Random`, so
the same seed always writes the same newsroom, and keeps headlines unique across the build. All
the text is original to this project and describes the invented city in `world`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from newsdesk.demo import world


@dataclass(frozen=True)
class StoryText:
    headline: str
    summary: str
    body: str
    language: str = "en"


@dataclass(frozen=True)
class TopicText:
    headlines: tuple[str, ...]
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...]
    summaries: tuple[str, ...]
    list_items: tuple[str, ...]
    link: tuple[str, str]  # (link text, URL on an invented .example domain)


GENERIC_PARAGRAPHS = (
    "The desk will update this story as more details are confirmed.",
    "Readers in {district} who have seen what happened can reach the newsroom through the tips "
    "page; we do not publish contact details without permission.",
    "It was not immediately clear how many people were affected. Officials said a fuller "
    "picture would be available by {weekday}.",
    'Residents on {street} described a long evening. "We have seen worse, but not often," '
    "said {resident}, who has lived in {district} for {n} years.",
    "The council said it would publish a summary of the decision on its website, together with "
    "the papers that went before councillors.",
    "Further information is expected at a briefing at {time} on {weekday}.",
)
GENERIC_HEADINGS = (
    "What happens next",
    "Why it matters",
    "What we know so far",
    "How we got here",
    "What residents are saying",
    "The numbers",
)
LIST_INTROS = (
    "Here is what readers need to know:",
    "The main points:",
    "At a glance:",
    "What changes, and when:",
)
CORRECTIONS = (
    "An earlier version of this story gave the wrong figure for the number of households "
    "affected. It is {big}, not {big2}.",
    "An earlier version of this story misspelt the name of {district}. We apologise for the error.",
    "An earlier version of this story said the meeting was on {weekday}. It was the day before.",
    "An earlier version of this story gave {speaker}'s job title incorrectly. It has been "
    "corrected.",
    "This story originally stated that the decision was final. The council says it is subject "
    "to a second vote.",
)
UPDATE_NOTES = (
    "**Update {clock}:** {speaker}, {title}, said the figure had been revised to {big} and that "
    "crews would work through the night.",
    "**Update {clock}:** The council has confirmed the details in a written statement. Roads "
    "around {district} are expected to reopen by {weekday}.",
    "**Update {clock}:** A second briefing is planned for later today. We will add the main "
    "points here.",
    "**Update {clock}:** The number of people affected now stands at {big}, officials said.",
)

TOPIC_TEXT: dict[str, TopicText] = {
    "storm-verity": TopicText(
        headlines=(
            "{storm}: {big} homes without power as gusts reach {gust} km/h",
            "{storm}: flood barrier raised at {district} as the {river} climbs",
            "{storm} live: ferries to the Skerrow Islands suspended until {weekday}",
            "{storm}: trees down on {street}, tram line {line} halted",
            "{storm}: rest centre opens at {venue} for people leaving {district}",
            "{storm}: {n} roads closed across {region} overnight",
            "{storm}: emergency crews rescue {n2} people from flooded homes in {district}",
            "{storm}: schools in {district} and {district2} closed on {weekday}",
            "{storm}: river level at {district} gauge highest in {n} years",
            "{storm}: power restored to {pct}% of homes, Aldermoor Power says",
            "{storm}: Harrow Embankment closed as waves top the wall",
            "{storm}: Harbourside General switches to generators during power cut",
            "{storm}: roof torn off a warehouse at {district}",
            "{storm}: council opens {n2} more rest centres",
            "{storm}: water supply cut to {big} homes in {district}",
            "{storm}: lifeboat called to a yacht off {ferry_place}",
            "{storm}: fences and bins scattered along {street}",
            "{storm}: some homes may wait until {weekday} for power",
            "{storm}: all trams suspended until {time}",
            "{storm}: wind easing over {district}, forecasters say",
            "{storm}: volunteers fill {n}00 sandbags at the {district} depot",
            "{storm}: Skerrow Islands cut off as the last ferry turns back",
            "{storm}: what to do if water gets into your home",
        ),
        paragraphs=(
            "Gusts of up to {gust} km/h were recorded at {district} shortly after {time}, the "
            "Aldermoor Weather Service said, with the strongest winds expected along the coast "
            "until the early hours.",
            "Aldermoor Power said {big} homes had lost electricity, most of them in {district} "
            "and {district2}. Engineers were waiting for the wind to drop before climbing "
            "damaged poles.",
            "The {river} was {rise} metres above its usual level at the {district} gauge and "
            "still rising. Sandbags were being handed out from the depot on {street}.",
            "Police asked people not to travel unless their journey was essential and to stay "
            "away from the sea wall at {district}, where waves were breaking over the "
            "promenade.",
            "A rest centre with hot food and camp beds has opened at {venue}. The council said "
            "{n} people had used it by {time}.",
            "Lindenhav Transit suspended tram line {line} after a tree came down across the "
            "overhead wires on {street}. Replacement buses are running every 1{n2} minutes.",
        ),
        quotes=(
            "We have crews ready in every depot, but we will not send anyone up a pole in this "
            "wind. As soon as it is safe, we go.",
            "If you live near the river in {district}, pack a bag tonight. Do not wait for the "
            "water to reach your door.",
            "This is the strongest storm we have measured on this coast in {n} years.",
        ),
        summaries=(
            "Power cuts, flooding and travel disruption as {storm} moves along the {region} "
            "coast: what we know and where to get help.",
            "Crews are working through the night in {district} and {district2}; the river is "
            "expected to peak after midnight.",
        ),
        list_items=(
            "Power cuts: call Aldermoor Power on its free line, 0800 000 {n2}{n2}{n2}",
            "Rest centre: {venue}, open all night",
            "Sandbags: the depot on {street}, while stocks last",
            "Travel: check Lindenhav Transit before setting out",
            "Ferries: no sailings on {ferry_route} until further notice",
            "Schools: closures are listed on the council's website",
        ),
        link=(
            "the Weather Service's live warning map",
            "https://weather.aldermoor.example/warnings",
        ),
    ),
    "energy": TopicText(
        headlines=(
            "Aldermoor Power to add {n} turbines at {wind_site}",
            "Household bills in {region} to rise by {pct}% from {month}",
            "Grid fault leaves {big} homes in {district} without power for {n2} hours",
            "Battery plant planned for the old gasworks in {district}",
            "Council approves solar roofs on {n} schools",
            "{wind_site} wind farm broke its output record in {month}",
            "Heat pump grants reopen for homes in {district} and {district2}",
            "Aldermoor Power fined {money} over late repairs",
            "New substation for {district} delayed until next year",
            "Tidal power trial off {ferry_place} passes first test",
        ),
        paragraphs=(
            "Aldermoor Power said the work at {wind_site} would add enough capacity to supply "
            "roughly {big} homes once it is complete, and that construction traffic would use "
            "{street} rather than the village roads.",
            "The regional regulator approved the increase on {weekday}. A typical household "
            "will pay about {n}0 crowns more each quarter, the company said.",
            "Engineers traced the fault to a cable joint under {street} that failed in the "
            "cold. Power was restored in stages, with the last homes reconnected at {time}.",
            "Critics on the council said the plans had been drawn up without asking people in "
            "{district}, who will live closest to the new site.",
            "The scheme is paid for from a {money} fund set up when the old coal plant at "
            "{district} closed.",
            "Output from the turbines covered {pct}% of the city's demand over the month, the "
            "highest share since the wind farm opened.",
        ),
        quotes=(
            "Every crown we spend on the grid now is a crown we will not spend on repairs in "
            "ten years' time.",
            "People in {district} are not against the turbines. They are against being told "
            "about them last.",
            "The wind does not send an invoice. The cables, unfortunately, do.",
        ),
        summaries=(
            "The plans would change where {region} gets its power; here is what they mean for "
            "bills and for the people who live nearby.",
            "The company says the investment will pay for itself within {n2} years. Its critics "
            "are not convinced.",
        ),
        list_items=(
            "{n} new turbines, each taller than the Customs House clock tower",
            "A new cable under the {river} to carry the power to the city",
            "A community fund of {money} for villages near the site",
            "Construction from {month}, if the final permit is granted",
            "Public drop-in sessions at {venue} on {weekday}",
        ),
        link=("the company's published plans", "https://power.aldermoor.example/projects"),
    ),
    "transport": TopicText(
        headlines=(
            "Tram line {line} to run every {n2} minutes from {month}",
            "Harrow Embankment bridge to close for {n} nights of repairs",
            "New ferry for {ferry_route} arrives after {n}-month delay",
            "Cycle lane on {street} approved after a two-year row",
            "Night trams return to {district} on weekends",
            "Fares on Lindenhav Transit frozen for another year",
            "Roadworks on {street} to last until {month}",
            "{ferry_route} ferry cancelled {n} times this month, figures show",
            "Tram extension to {district} gets {money} from the region",
            "Parking charges in {district} to rise by {pct}%",
        ),
        paragraphs=(
            "Lindenhav Transit said the change would mean {big} more seats a day on line "
            "{line}, which runs from {district} to {district2} and is the busiest in the city.",
            "The bridge carries about {big} vehicles a day. Diversions will be signposted via "
            "{street}, and pedestrians will be able to cross at all times.",
            "Passengers on {ferry_route} have complained of cancellations and crowded sailings "
            "since the old vessel was withdrawn in {month}.",
            "The council's transport committee voted {n2} to {n3} in favour after a debate that "
            "lasted more than three hours.",
            "Shop owners on {street} said the works had already cut the number of people "
            "walking past their doors. The council said it would review the timetable.",
            "The extension would add {n2} stops and a depot at {district}, and could open "
            "within four years if funding is confirmed.",
        ),
        quotes=(
            "People do not want a tram map. They want a tram that turns up.",
            "We know the last few months have been hard for people who rely on the ferry. "
            "The new boat will change that.",
            "This street was built for horses and carts. We are trying to make it work for "
            "everyone who uses it now.",
        ),
        summaries=(
            "The change affects thousands of daily journeys across {city}. Here is what is "
            "different and when.",
            "After months of delays, commuters in {district} are promised a more reliable service.",
        ),
        list_items=(
            "Line {line}: every {n2} minutes on weekdays",
            "Last tram from {district}: 00:45",
            "Replacement buses stop on {street}",
            "Bicycles carried free outside rush hour",
            "Timetables at stops from {weekday}",
        ),
        link=("the new timetable", "https://transit.lindenhav.example/timetables"),
    ),
    "weather": TopicText(
        headlines=(
            "Yellow warning for rain across {region} on {weekday}",
            "Fog delays morning ferries from {ferry_place}",
            "Frost expected in {district} as temperatures drop to minus {n2}",
            "Driest {month} on record for {city}, Weather Service says",
            "Heavy showers bring surface flooding to {street}",
            "Weekend forecast: sunshine first, gales later",
            "River {river} on flood watch after {n} mm of rain",
            "Hail and thunder across {district} and {district2}",
        ),
        paragraphs=(
            "The Aldermoor Weather Service said up to {n} mm of rain could fall in places, "
            "with the heaviest bursts over the hills east of {district}.",
            "Drivers were told to allow extra time on {street}, where standing water has "
            "collected after every heavy shower this month.",
            "Temperatures will recover by {weekday}, forecasters said, but the nights will stay "
            "cold enough for frost in sheltered spots.",
            "The {river} at the {district} gauge rose by {n}0 cm overnight. It is still below "
            "the level at which the flood barrier is raised.",
            "Gardeners in {district} said the dry weeks had cracked lawns and emptied water butts.",
        ),
        quotes=(
            "It will not rain all day, but when it rains it will rain hard.",
            "Take the warning seriously, even if it is sunny when you leave home.",
        ),
        summaries=(
            "What to expect over the next {n2} days, and where the warnings apply.",
            "The forecast for {city} and the coast, with the river outlook.",
        ),
        list_items=(
            "{weekday} morning: showers, heavy at times",
            "{weekday} afternoon: brighter, {n2}°C",
            "Night: clear and cold, frost in {district}",
            "Coast: strong winds, rough seas",
        ),
        link=("the full forecast", "https://weather.aldermoor.example/forecast"),
    ),
    "city-hall": TopicText(
        headlines=(
            "Council votes to keep {n} libraries open in {district} and {district2}",
            "Lindenhav budget gap grows to {money}",
            "Plans for {n}0 homes on the old depot in {district} approved",
            "Councillors back a ban on new car parks in the centre",
            "Mayor's office to publish all spending over {n} thousand crowns",
            "Council tax in {city} to rise by {pct}%",
            "Public toilets in {district} to reopen after {n2} years",
            "Inquiry into {street} housing repairs to report in {month}",
            "Street lights in {district} to switch to LEDs by {month}",
            "Council to sell the old Customs House for {money}",
        ),
        paragraphs=(
            "The decision was taken at a full council meeting on {weekday} evening, after "
            "{n} members of the public spoke for and against.",
            "Officials said the budget gap had grown because of higher energy costs and an "
            "increase in the number of people needing care at home.",
            "The site on {street} has been empty for {n2} years. The approved plans include a "
            "small park and ground-floor shops.",
            "Opposition councillors said the figures had been published too late for proper "
            "scrutiny and asked for the vote to be delayed. The request was refused.",
            "{speaker}, {title}, said the savings would come from back-office costs rather "
            "than frontline services.",
            "A consultation on the proposals runs until {weekday} week, and residents can "
            "respond online or at {venue}.",
        ),
        quotes=(
            "Nobody stands for election to close a library. We found another way.",
            "These are hard choices, and we will explain every one of them.",
            "The papers arrived on Friday night for a vote on Monday. That is not how a "
            "council should work.",
        ),
        summaries=(
            "The vote settles a row that has divided the council for months. Here is what was "
            "decided and what it will cost.",
            "What the decision means for people in {district}, and what happens next.",
        ),
        list_items=(
            "Libraries: opening hours unchanged",
            "Bins: collections move to {weekday} in {district}",
            "Parks: {n} new benches and a play area in {district2}",
            "Council tax: up {pct}% from April",
            "Staff: no compulsory redundancies",
        ),
        link=("the council meeting papers", "https://council.lindenhav.example/meetings"),
    ),
    "health": TopicText(
        headlines=(
            "Harbourside General opens {n}-bed ward for winter",
            "Waiting times at {district} clinic fall for the {ordinal} month in a row",
            "Free flu jabs at {venue} this {weekday}",
            "New walk-in centre for {district} and {district2}",
            "Hospital parking charges scrapped for night-shift staff",
            "Dentist shortage: {big} people on waiting list in {region}",
            "Mobile clinic to visit the Skerrow Islands every {weekday}",
            "Ambulance response times improve in {region}",
        ),
        paragraphs=(
            "Harbourside General said the extra beds would be staffed by nurses moved from "
            "planned surgery, which will be scaled back for {n2} weeks.",
            "The clinic in {district} now sees most patients within {n} minutes of their "
            "appointment time, the health board said.",
            "People over 65, carers and those with long-term conditions are eligible. No "
            "appointment is needed.",
            "The health board said it had recruited {n} new staff since {month}, but warned "
            "that demand was still rising.",
            "Patients on the islands have until now had to take the ferry to {city} for routine "
            "checks.",
        ),
        quotes=(
            "Winter always comes. This year we are ready for it a little earlier.",
            "We would rather people came in early than waited until it is an emergency.",
        ),
        summaries=(
            "The change is meant to ease pressure on the emergency department over the coming "
            "months.",
            "Who is eligible, where to go and what to bring.",
        ),
        list_items=(
            "Walk-in hours: 08:00 to 20:00",
            "Bring your health card",
            "Interpreters available on request",
            "Step-free access from {street}",
        ),
        link=("the health board's service finder", "https://health.aldermoor.example/services"),
    ),
    "business": TopicText(
        headlines=(
            "Port of {city} handles record {big} containers",
            "{n}0 jobs at risk as {district} bakery group closes",
            "Shipyard at {district} wins order for {n2} ferries",
            "New market hall to open in {district} in {month}",
            "Unemployment in {region} falls to {pct2}%",
            "Rents on {street} shops up {pct}% in a year",
            "Fish auction moves to Kestrel Quay after a century in {district}",
            "Copperworks brewery to double in size",
        ),
        paragraphs=(
            "The Port Authority said the increase was driven by new routes to the north and by "
            "the deeper berth opened at {district} last spring.",
            "Staff were told of the closure at a meeting on {weekday}. The company said it "
            "would try to find roles for some of them at its other sites.",
            "The order is worth about {money} and will keep the yard busy for at least {n2} "
            "years, the owners said.",
            "Traders said footfall in {district} had recovered since the tram stop reopened, "
            "but that rents were rising faster than takings.",
            "The figures from the regional statistics office cover the three months to {month}.",
        ),
        quotes=(
            "The river made this city, and the port is still what keeps it working.",
            "We have baked bread on this street for three generations. It is a sad day.",
        ),
        summaries=(
            "What the numbers say about the city's economy, and who is feeling the change.",
            "The decision affects workers in {district} and suppliers across {region}.",
        ),
        list_items=(
            "Containers handled: {big}",
            "Jobs at the port: {big2}",
            "New berths planned: {n2}",
            "Investment: {money}",
        ),
        link=("the Port Authority's annual report", "https://port.lindenhav.example/report"),
    ),
    "culture": TopicText(
        headlines=(
            "{festival} returns with {n} events across the city",
            "{venue} reopens after a {n2}-year restoration",
            "Local choir wins the {region} cup for the {ordinal} time",
            "Library in {district} lends out {big} books in a record year",
            "Museum of Work acquires the last Copperworks steam whistle",
            "Open-air cinema comes to {district} this {weekday}",
            "Writers' residency on the Skerrow Islands opens to applicants",
        ),
        paragraphs=(
            "Organisers said {festival} would this year spread beyond the centre, with events "
            "in {district} and {district2} as well as the usual venues.",
            "The restoration uncovered painted ceilings that had been hidden behind plaster "
            "since the building was turned into offices.",
            "Tickets go on sale on {weekday} at {time}. Around a third of events are free.",
            "Volunteers from {district} spent {n} weekends cleaning and cataloguing the "
            "collection before it went on display.",
        ),
        quotes=(
            "The city has always sung. We just gave it a stage.",
            "Every object in this room was made by somebody who lived within a mile of it.",
        ),
        summaries=(
            "What is on, where, and how to get tickets.",
            "A long-closed corner of {city}'s history opens its doors again.",
        ),
        list_items=(
            "Opening night: {weekday} at {venue}",
            "Family day: free, all ages",
            "Late opening: until 23:00 on Fridays",
            "Tickets: from {n} crowns",
        ),
        link=("the full programme", "https://whatson.lindenhav.example/programme"),
    ),
    "education": TopicText(
        headlines=(
            "{school} to add {n2} classrooms",
            "Aldermoor University opens a coastal research station at {ferry_place}",
            "Free school breakfasts extended to {district}",
            "Teachers in {region} vote on new contract",
            "{school} pupils win national robotics prize",
            "{n} schools to get new heating before winter",
            "Adult evening classes return to {venue}",
        ),
        paragraphs=(
            "The head teacher at {school} said the extra space would end lessons in the hall "
            "and the library, which have been used as classrooms for {n2} years.",
            "The research station will study erosion along the coast and how the {river} "
            "estuary changes with the seasons.",
            "The scheme feeds about {big} children a day and costs the council {money} a year.",
            "The result of the ballot is expected on {weekday}. The union said it hoped to "
            "avoid strikes.",
        ),
        quotes=(
            "Children cannot learn when they are hungry or cold. It really is that simple.",
            "The best classroom for studying the sea is the beach.",
        ),
        summaries=(
            "What the change means for pupils, parents and staff.",
            "The plans have been years in the making.",
        ),
        list_items=(
            "Applications open on {weekday}",
            "Open evening at {school}",
            "Places: {n}0",
            "Bus passes for pupils in {district}",
        ),
        link=("the school admissions guide", "https://schools.lindenhav.example/admissions"),
    ),
    "environment": TopicText(
        headlines=(
            "Seals return to the {river} estuary in record numbers",
            "Air quality on {street} breaches limit {n} times this year",
            "{n}00 trees to be planted in {district}",
            "Beach clean at {district} collects {n2}0 bags of litter",
            "Rewilding plan for the {river} meadows approved",
            "Sewage overflow closes bathing spot at {district}",
            "Otters spotted in the canal at {district} for first time in decades",
        ),
        paragraphs=(
            "Volunteers counted {n}0 grey seals on the sandbanks at low tide, the highest number "
            "since counts began.",
            "Monitors on {street} recorded levels above the legal limit on {n} days, mostly "
            "during the morning rush hour.",
            "The trees, mostly oak, lime and rowan, will be planted over the winter by "
            "volunteers from {district} schools.",
            "Serrow Valley Water said the overflow had been caused by heavy rain and that "
            "testing would continue until the water was safe.",
        ),
        quotes=(
            "If the seals are coming back, the river is getting cleaner. They are our best "
            "inspectors.",
            "A tree planted this winter will still be shading this street in a hundred years.",
        ),
        summaries=(
            "Good news and bad from the river, the coast and the city's streets.",
            "Scientists say the change shows what a cleaner estuary looks like.",
        ),
        list_items=(
            "Planting days: Saturdays until {month}",
            "Bring gloves and boots",
            "Meet at the {district} park gate at 10:00",
            "Tools provided by the council",
        ),
        link=("the river quality data", "https://river.aldermoor.example/data"),
    ),
    "sport": TopicText(
        headlines=(
            "{club} win {n2}–{n3} at home to {club2}",
            "{club} appoint new coach after {n}-match losing run",
            "Serrow regatta moved to {weekday} because of the forecast",
            "Lindenhav half marathon to close {street} on Sunday",
            "{club} promoted after {n}-year wait",
            "Floodlights for {district} pitches approved",
        ),
        paragraphs=(
            "A crowd of {big} watched the match at the Copperworks ground, where the home side "
            "scored twice in the last {n2} minutes.",
            "The club said the new coach would start on {weekday} and had been given a contract "
            "until the end of next season.",
            "Organisers said the course would be the same as last year, starting and finishing "
            "at the Harrow Embankment.",
            "The floodlights will let {n} junior teams train on winter evenings instead of "
            "travelling to {district2}.",
        ),
        quotes=(
            "We have waited a long time for an afternoon like this one.",
            "The river decides when we race. We just turn up with the boats.",
        ),
        summaries=(
            "The result, the reaction and what it means for the rest of the season.",
            "A big day for sport in {district}.",
        ),
        list_items=(
            "Kick-off: {time}",
            "Tickets: {n} crowns on the gate",
            "Road closures from 07:00",
            "Results online after the race",
        ),
        link=("the fixtures list", "https://sport.lindenhav.example/fixtures"),
    ),
}

# A handful of stories in Ukrainian, for the Ukrainian-speaking readers of Lindenhav and to
# exercise Unicode in slugs, search and feeds. Original text about the invented city.
UKRAINIAN_STORIES = (
    StoryText(
        "Шторм «Веріті»: у Лінденгаві без світла залишаються {big} домівок",
        "Енергетики чекають, поки вщухне вітер, щоб розпочати ремонт ліній.",
        "Компанія «Алдермур Пауер» повідомила, що найбільше постраждали райони Кестрел-Кі та "
        "Стара Чинбарня. Бригади вже на місцях, але працювати на висоті під час пориву вітру "
        "заборонено.\n\nПункт обігріву відкрито в Чинбарній залі. Там можна зарядити телефон, "
        "випити гарячого чаю та отримати інформацію українською мовою.",
        "uk",
    ),
    StoryText(
        "Поромне сполучення з островами Скерроу відновлять у {weekday_uk}",
        "",
        "Капітан порту повідомив, що перший пором вирушить о {time}, якщо хвилі не "
        "перевищуватимуть двох метрів.\n\nПасажирам радять приходити заздалегідь: черги "
        "очікуються великими, адже сполучення не було {n2} дні.",
        "uk",
    ),
    StoryText(
        "Міська рада затвердила нові нічні маршрути трамваїв",
        "",
        "Нічні трамваї курсуватимуть у п'ятницю та суботу з півночі до п'ятої ранку. "
        "Маршрути з'єднають центр міста з районами Нортгейт і Моссфорд.\n\nЗа рішення "
        "проголосували {n} депутатів.",
        "uk",
    ),
    StoryText(
        "У бібліотеці на Нортгейт відкрили розмовний клуб українською",
        "",
        "Зустрічі відбуваються щосереди о сьомій вечора. Участь безкоштовна, записуватися "
        "не потрібно.\n\n«Ми хотіли, щоб у людей було місце, де можна просто поговорити рідною "
        "мовою», — розповіла одна з організаторок.",
        "uk",
    ),
    StoryText(
        "Волонтери зібрали {n} тонн допомоги для постраждалих від повені",
        "",
        "Пункт збору працює на складі біля Гарроу-набережної. Найбільше потрібні ковдри, "
        "гумові чоботи та засоби гігієни.\n\nВолонтери дякують усім, хто долучився, і просять "
        "не приносити одяг — його вже достатньо.",
        "uk",
    ),
    StoryText(
        "Лікарня «Гарбарсайд» розширює нічне приймальне відділення",
        "",
        "Відтепер уночі працюватимуть {n2} додаткові лікарі. Керівництво лікарні сподівається "
        "скоротити час очікування вдвічі.\n\nЗа невідкладною допомогою, як і раніше, слід "
        "звертатися за номером екстреної служби.",
        "uk",
    ),
    StoryText(
        "На Гарроу-набережній після шторму відкрили тимчасовий ринок",
        "Рибалки й пекарі торгують просто з причалу, поки ремонтують критий павільйон.",
        "Торгові ряди працюють щодня з восьмої ранку до другої дня. Міська рада дозволила "
        "торгувати без плати за місце до кінця місяця.\n\nПокупців просять не заходити за "
        "огорожу біля пошкодженого павільйону: там досі працюють будівельники.",
        "uk",
    ),
    StoryText(
        "Школи Лінденгава відновлюють заняття після {n2} днів перерви",
        "",
        "Управління освіти повідомило, що всі школи, крім двох у Кестрел-Кі, відкриються в "
        "{weekday_uk}. Учні цих двох шкіл навчатимуться в сусідніх будівлях.\n\nШкільні "
        "автобуси їздитимуть за звичайним розкладом, але з об'їздом затопленої Мільної вулиці.",
        "uk",
    ),
    StoryText(
        "Міський оркестр зіграє благодійний концерт на підтримку постраждалих",
        "",
        "Концерт відбудеться в Чинбарній залі о {time}. Квитки не продаються: глядачі "
        "залишають пожертву, скільки можуть.\n\nУсі зібрані кошти отримає фонд допомоги "
        "родинам, чиї домівки пошкодив шторм.",
        "uk",
    ),
)
WEEKDAYS_UK = ("понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу", "неділю")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


class Writer:
    """Writes one newsroom's worth of text from a seeded random source, never the same headline
    twice (headline collisions are retried, then told apart by district)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_headlines: set[str] = set()
        self.recent_templates: list[str] = []

    def slots(self) -> dict[str, str]:
        rng = self.rng
        district, district2 = rng.sample(world.DISTRICTS, 2)
        club, club2 = rng.sample(world.CLUBS, 2)
        big = rng.randrange(800, 48_000, 10)
        return {
            "city": world.CITY,
            "region": world.REGION,
            "river": world.RIVER,
            "storm": world.STORM,
            "district": district,
            "district2": district2,
            "street": rng.choice(world.STREETS),
            "ferry_route": rng.choice(world.FERRY_ROUTES),
            "ferry_place": rng.choice(("Holm Point", "Skerrow Major", "Little Skerrow")),
            "school": rng.choice(world.SCHOOLS),
            "venue": rng.choice(world.VENUES),
            "club": club,
            "club2": club2,
            "wind_site": rng.choice(world.WIND_SITES),
            "festival": rng.choice(world.FESTIVALS),
            "weekday": rng.choice(world.WEEKDAYS),
            "weekday_uk": rng.choice(WEEKDAYS_UK),
            "month": rng.choice(MONTHS),
            "ordinal": rng.choice(ORDINALS),
            "n": str(rng.randint(3, 29)),
            "n2": str(rng.randint(2, 9)),
            "n3": str(rng.randint(0, 1)),
            "line": str(rng.randint(1, 9)),
            "pct": str(rng.randint(3, 48)),
            "pct2": f"{rng.randint(30, 79) / 10:.1f}",
            "big": f"{big:,}",
            "gust": str(rng.randrange(90, 150, 5)),
            "rise": f"{rng.randint(8, 34) / 10:.1f}",
            "big2": f"{big + rng.randrange(100, 5_000, 10):,}",
            "money": f"{rng.randint(12, 480) / 10:.1f} million crowns",
            "time": f"{rng.randint(0, 23):02d}:{rng.choice((0, 10, 15, 20, 30, 40, 45, 50)):02d}",
            "speaker": self.person(),
            "title": rng.choice(world.OFFICIAL_TITLES),
            "resident": self.person(),
        }

    def person(self) -> str:
        return f"{self.rng.choice(world.FIRST_NAMES)} {self.rng.choice(world.SURNAMES)}"

    def _headline(self, templates: tuple[str, ...], slots: dict[str, str]) -> str:
        fresh = [t for t in templates if t not in self.recent_templates] or list(templates)
        for _ in range(25):
            template = self.rng.choice(fresh)
            headline = template.format_map(slots)
            headline = headline[:1].upper() + headline[1:]
            if headline not in self.used_headlines:
                break
            slots = {**slots, **self.slots()}
        else:
            headline = f"{headline} ({slots['district']})"
        self.used_headlines.add(headline)
        # A template used in the last few stories waits its turn, so neighbours in the feed differ.
        self.recent_templates = [*self.recent_templates[-5:], template]
        return headline

    def _paragraphs(self, text: TopicText, count: int, slots: dict[str, str]) -> list[str]:
        pool = list(text.paragraphs)
        self.rng.shuffle(pool)
        chosen = pool[:count]
        while len(chosen) < count:
            chosen.append(self.rng.choice(GENERIC_PARAGRAPHS))
        return [p.format_map(slots) for p in chosen]

    def feed_update(self, topic: str, *, card_slug: str | None = None) -> StoryText:
        """A short feed item: a headline and one to three paragraphs."""
        text = TOPIC_TEXT[topic]
        slots = self.slots()
        headline = self._headline(text.headlines, slots)
        paragraphs = self._paragraphs(text, self.rng.randint(1, 3), slots)
        if card_slug:
            paragraphs.append(f"/stories/{card_slug}/")
        return StoryText(headline, "", "\n\n".join(paragraphs))

    def article(self, topic: str, *, card_slug: str | None = None) -> StoryText:
        """A full article: a dek and 5–12 paragraphs of Markdown with a quote, a sub-heading,
        a list and a link (and a related-story card when `card_slug` is given)."""
        rng = self.rng
        text = TOPIC_TEXT[topic]
        slots = self.slots()
        headline = self._headline(text.headlines, slots)
        summary = rng.choice(text.summaries).format_map(slots)
        prose = self._paragraphs(text, rng.randint(4, 8), slots)
        quote = rng.choice(text.quotes).format_map(slots)
        items = rng.sample(text.list_items, min(len(text.list_items), rng.randint(3, 5)))
        link_text, url = text.link
        split = rng.randint(1, max(1, len(prose) - 2))
        blocks = [
            *prose[:split],
            f"> “{quote}”\n>\n> — {slots['speaker']}, {slots['title']}",
            *prose[split:],
            f"## {rng.choice(GENERIC_HEADINGS)}",
            rng.choice(LIST_INTROS),
            "\n".join(f"- {item.format_map(slots)}" for item in items),
            f"More detail is in [{link_text}]({url}).",
        ]
        if card_slug:
            blocks.insert(split + 1, f"/stories/{card_slug}/")
        return StoryText(headline, summary, "\n\n".join(blocks))

    def ukrainian(self, index: int) -> StoryText:
        story = UKRAINIAN_STORIES[index % len(UKRAINIAN_STORIES)]
        # Ukrainian groups digits with a (no-break) space: 13 760, not 13,760.
        slots = {
            key: value.replace(",", "\u00a0") if isinstance(value, str) and value[:1].isdigit()
            else value
            for key, value in self.slots().items()
        }  # fmt: skip
        headline = story.headline.format_map(slots)
        if headline in self.used_headlines:
            headline = f"{headline} ({index + 1})"
        self.used_headlines.add(headline)
        return StoryText(headline, story.summary, story.body.format_map(slots), "uk")

    def update_note(self, clock: str) -> str:
        """A paragraph added when an editor marks an edit as an update."""
        return self.rng.choice(UPDATE_NOTES).format_map({**self.slots(), "clock": clock})

    def correction(self) -> str:
        return self.rng.choice(CORRECTIONS).format_map(self.slots())
