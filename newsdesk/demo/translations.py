"""The demo's Ukrainian translations of its main Storm Verity stories and of the live page.

The lead article and the two breaking updates of the storm are written here in English (fixed
texts, where the rest of the demo is filled from templates) together with their Ukrainian
versions, as a translator at the desk would write them; so are the live page's headline and
summary, its pinned entry and its six key events. The builder starts each translation with
`actions.do_create_translation`, puts these words in and publishes it, at a time after its
original. One of them, the flood barrier update, is translated before its original is updated
again, so the desk shows it as "needs update". All of it is invented, like the rest of the demo.
"""

from __future__ import annotations

from newsdesk.demo.content import StoryText

# The fixed English stories (by key), and what the builder gives each plan.
ENGLISH: dict[str, StoryText] = {
    "lead": StoryText(
        headline="Storm Verity: what we know and where to get help",
        summary=(
            "Power cuts, closed roads and suspended ferries as Storm Verity crosses the "
            "Aldermoor coast. Here is what has happened so far and where to find help."
        ),
        body=(
            "Storm Verity reached the Aldermoor coast on Tuesday evening and is the strongest "
            "storm to hit Lindenhav in more than sixty years. The weather service measured a "
            "gust of 131 km/h on Holm Point shortly after four in the morning.\n\n"
            "Thousands of homes lost power overnight. Grid crews began restoring supplies at "
            "first light and say about half of the affected homes are connected again; Ambervale "
            "and Mossford are still waiting.\n\n"
            "## Where to get help\n\n"
            "- Rest centres are open at the Brannock Hill sports hall and the Old Tannery "
            "library; both take pets.\n"
            "- Report fallen power lines on 0800 555 020 and never touch them.\n"
            "- The council's storm line is 0800 555 019; call 112 only in an emergency.\n\n"
            "> We will not send anyone up a pole until the wind drops, but every crew in the "
            "region is ready to go.\n\n"
            "That was how a spokesperson for Aldermoor Power described the night's work. The "
            "company expects most homes to have power again by tomorrow evening.\n\n"
            "## Travel\n\n"
            "Ferries to the Skerrow Islands are suspended until tomorrow morning and several "
            "roads are closed by fallen trees. The flood barrier at Kestrel Quay has been raised "
            "for the first time this winter and is holding.\n\n"
            "The latest travel news is on the "
            "[Lindenhav Transit site](https://transit.lindenhav.example/disruption)."
        ),
    ),
    "coast_road": StoryText(
        headline="Storm Verity: council asks drivers to keep off the coast road tonight",
        summary="High tide and strong winds are expected to throw debris onto the road after dark.",
        body=(
            "Lindenhav council has asked drivers to keep off the coast road between Holm Point "
            "and the harbour tonight, as the high tide and strong winds are expected to throw "
            "stones and seaweed onto the carriageway.\n\n"
            "Police will close the road if conditions get worse. Buses on route 12 are running "
            "on a diversion through Copperworks.\n\n"
            "The council's storm line, 0800 555 019, is open all night."
        ),
    ),
    "barrier": StoryText(
        headline="Storm Verity: Kestrel Quay flood barrier to stay up until Thursday",
        summary="The Serrow is expected to stay high for two more days.",
        body=(
            "The flood barrier at Kestrel Quay will stay raised until at least Thursday morning, "
            "the Aldermoor flood agency said, as the Serrow is expected to stay high for two "
            "more days.\n\n"
            "Boats moored above the barrier cannot leave the river while it is up. The agency "
            "will review the decision at noon each day.\n\n"
            "Residents of the riverside streets in Mossford are asked to keep their sandbags in "
            "place."
        ),
    ),
}

# The same stories in Ukrainian.
UKRAINIAN: dict[str, StoryText] = {
    "lead": StoryText(
        headline="Шторм Веріті: що відомо і де шукати допомоги",
        summary=(
            "Знеструмлені будинки, перекриті дороги й скасовані пороми: шторм Веріті "
            "проходить узбережжям Алдермуру. Що сталося досі і де знайти допомогу."
        ),
        body=(
            "Шторм Веріті дістався узбережжя Алдермуру у вівторок увечері. Це найпотужніший "
            "шторм у Лінденгаві за понад шістдесят років: метеослужба зафіксувала на мисі Голм "
            "порив вітру 131 км/год невдовзі після четвертої ранку.\n\n"
            "Уночі без світла залишилися тисячі домівок. Енергетики почали відновлювати "
            "електропостачання на світанку; за їхніми словами, приблизно половину знеструмлених "
            "будинків уже знову підключено. Амбервейл і Мосфорд досі чекають.\n\n"
            "## Де шукати допомоги\n\n"
            "- Пункти тимчасового розміщення працюють у спортзалі на Бранок-Гілл і в бібліотеці "
            "«Стара чинбарня»; туди можна прийти з домашніми тваринами.\n"
            "- Про обірвані лінії електропередач повідомляйте за номером 0800 555 020 і нізащо "
            "їх не торкайтеся.\n"
            "- Гаряча лінія міськради щодо шторму — 0800 555 019; на 112 телефонуйте лише в "
            "разі надзвичайної ситуації.\n\n"
            "> Ми нікого не відправимо на опору, доки не вщухне вітер, але всі бригади в регіоні "
            "готові виїхати.\n\n"
            "Так речник компанії Aldermoor Power описав нічну роботу. У компанії очікують, що "
            "до завтрашнього вечора світло повернеться в більшість домівок.\n\n"
            "## Транспорт\n\n"
            "Пороми до островів Скерроу не курсуватимуть до завтрашнього ранку, кілька доріг "
            "перекрито через повалені дерева. Протипаводковий барʼєр на причалі Кестрел уперше "
            "цієї зими підняли, і він витримує.\n\n"
            "Найсвіжіші новини про рух транспорту — на "
            "[сайті Lindenhav Transit](https://transit.lindenhav.example/disruption)."
        ),
        language="uk",
    ),
    "coast_road": StoryText(
        headline="Шторм Веріті: міськрада просить водіїв не їздити вночі прибережною дорогою",
        summary="Після настання темряви приплив і сильний вітер можуть викидати уламки на дорогу.",
        body=(
            "Міськрада Лінденгава просить водіїв сьогодні вночі не їздити прибережною дорогою "
            "між мисом Голм і гаванню: через приплив і сильний вітер на проїжджу частину може "
            "викидати каміння й водорості.\n\n"
            "Якщо погода погіршиться, поліція перекриє дорогу. Автобуси маршруту 12 їдуть "
            "обʼїздом через Копперворкс.\n\n"
            "Гаряча лінія міськради щодо шторму, 0800 555 019, працює всю ніч."
        ),
        language="uk",
    ),
    "barrier": StoryText(
        headline="Шторм Веріті: барʼєр на причалі Кестрел залишиться піднятим до четверга",
        summary="Рівень води в Серроу, як очікують, залишатиметься високим ще два дні.",
        body=(
            "Протипаводковий барʼєр на причалі Кестрел залишатиметься піднятим щонайменше до "
            "ранку четверга, повідомило паводкове агентство Алдермуру: рівень води в Серроу, "
            "як очікують, буде високим ще два дні.\n\n"
            "Човни, пришвартовані вище за течією, не зможуть вийти з річки, доки барʼєр не "
            "опустять. Агентство щодня опівдні переглядатиме це рішення.\n\n"
            "Мешканців прибережних вулиць Мосфорда просять не прибирати мішки з піском."
        ),
        language="uk",
    ),
}

# The story whose translation is left behind by a later update of its original.
NEEDS_UPDATE = "barrier"

# The live page in Ukrainian: its headline and summary ("what we know", a line per point).
LIVE_HEADLINE = "Шторм Веріті: онлайн"
LIVE_SUMMARY = (
    "Уночі шторм Веріті приніс на узбережжя Алдермуру пориви вітру до 130 км/год.\n"
    "Тисячі домівок у Лінденгаві залишилися без світла; енергетики відновлюють "
    "електропостачання район за районом.\n"
    "Пороми до островів Скерроу скасовано, кілька доріг перекрито через повалені дерева.\n"
    "Рівень води в Серроу високий, але протипаводковий барʼєр на причалі Кестрел витримує.\n"
    "На 112 телефонуйте лише в разі надзвичайної ситуації; гаряча лінія міськради — "
    "0800 555 019."
)
# The pinned entry and the six key events, by their English headline: (headline, text).
LIVE_ENTRIES: dict[str, tuple[str, str]] = {
    "How to stay safe and where to get help": (
        "Як уберегтися і де шукати допомоги",
        "Залишайтеся вдома й тримайтеся подалі від набережної. Про обірвані лінії "
        "електропередач повідомляйте за номером 0800 555 020 і ніколи їх не торкайтеся. Пункти "
        "тимчасового розміщення працюють у спортзалі на Бранок-Гілл і в бібліотеці «Стара "
        "чинбарня»; обидва приймають людей із домашніми тваринами.",
    ),
    "Red warning issued": (
        "Оголошено червоний рівень небезпеки",
        "Метеослужба підвищила рівень попередження для узбережжя Алдермуру до червоного, "
        "найвищого, з 22:00 до 09:00. Людей просять утриматися від поїздок.",
    ),
    "Flood barrier raised at Kestrel Quay": (
        "На причалі Кестрел підняли протипаводковий барʼєр",
        "Барʼєр на Серроу підняли вперше цієї зими: за три години рівень води в річці "
        "піднявся на метр.",
    ),
    "Gust of 131 km/h recorded": (
        "Зафіксовано порив вітру 131 км/год",
        "Метеостанція на мисі Голм о 04:10 зафіксувала порив вітру 131 км/год — найсильніший "
        "у Лінденгаві від початку спостережень 1961 року.",
    ),
    "Ferries suspended until tomorrow": (
        "Пороми скасовано до завтра",
        "Усі рейси до островів Скерроу скасовано до завтрашнього ранку. Поромна компанія "
        "поверне гроші за квитки.",
    ),
    "Power back for half of homes": (
        "Світло повернулося в половину домівок",
        "Енергетики кажуть, що електропостачання відновлено приблизно в половині домівок, "
        "знеструмлених уночі. Амбервейл і Мосфорд досі чекають.",
    ),
    "Red warning lifted": (
        "Червоний рівень небезпеки скасовано",
        "Рівень попередження знижено з червоного до помаранчевого. Вітер із заходу слабшає, "
        "але міськрада просить не підходити до набережної.",
    ),
}
