"""Українська: the same keys and placeholders as en.py, written as a Ukrainian newsroom writes.

Plural messages carry CLDR's Ukrainian categories: one (1, 21, 101), few (2–4, 22), many
(0, 5–20, 25) and other (fractions).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- start / help ---------------------------------------------------------------------
    "start": (
        "<b>sitrep</b>: перевірені новини про російсько-українську війну та мирні переговори "
        "США, Росії й України.\n\n"
        "Кожен запис тут вніс редактор: з джерелами, з тим, наскільки точна його дата, і з "
        "кожним пізнішим виправленням. Нічого не береться автоматично з каналів.\n\n"
        "Спробуйте /talks: графік переговорів, /incidents: останні інциденти, або /help: "
        "усі команди."
    ),
    "help": (
        "<b>Команди</b>\n"
        "/talks: раунди переговорів, спершу майбутні, з усіма перенесеннями\n"
        "/incidents: останні інциденти, напр. <code>/incidents дніпро 7d</code> або "
        "<code>/incidents Запоріжжя</code>\n"
        "/statements: останні заяви: хто, що і де сказав\n"
        "/claims: твердження посадовців і їхній статус, і що відбулося відтоді\n"
        "/event N: повний запис із джерелами та історією змін, напр. <code>/event 3</code> "
        "або торкніться /event_3 під записом\n"
        "/search СЛОВА: пошук за текстом, напр. <code>/search пологовий будинок</code>\n"
        "/chart incidents [МІСЦЕ] [ПЕРІОД]: інциденти за тижнями на малюнку, із загиблими "
        "й пораненими, напр. <code>/chart incidents dnipro 3m</code>; /chart talks: раунди на "
        "часовій шкалі з кожним перенесенням\n"
        "/board: у групі — закріплене табло (найближчі раунди, останні інциденти), яке я "
        "редагую щоразу, як змінюються переговори чи інциденти; лише адміністратори; "
        "<code>/board off</code> зупиняє\n"
        "/subscribe: сповіщення про перенесення переговорів, нові інциденти й заяви, напр. "
        "<code>/subscribe incidents запоріжжя</code>\n"
        "/unsubscribe: вимкнути сповіщення, напр. <code>/unsubscribe all</code>\n"
        "/subscriptions: на що підписаний цей чат\n"
        "/calendar: переговори у вашому календарі (файл .ics)\n"
        "/settings: часовий пояс, нагадування про переговори й беззвучні сповіщення, напр. "
        "<code>/settings zone Київ</code>, <code>/settings reminders 24h,1h</code>, "
        "<code>/settings silent on</code>\n"
        "/quiet: тихі години, напр. <code>/quiet 23:00-07:00</code>: сповіщення чекають, а "
        "потім надходять одним підсумковим повідомленням; <code>/quiet off</code>\n"
        "/digest: одне повідомлення на день замість миттєвих сповіщень, напр. "
        "<code>/digest 08:00</code>; <code>/digest off</code>\n"
        "/language: мова відповідей, напр. <code>/language en</code> (English)\n"
        "{extra}"
        "/help: цей список\n\n"
        "Періоди: <code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code>, "
        "<code>1y</code> (години, дні, тижні, місяці, роки). Час показано за поясом {zone}.\n\n"
        "<b>Звідки дані</b>: редактори вносять кожен запис за опублікованими повідомленнями "
        "й називають джерело кожного факту; джерела запису: /event N."
    ),
    "help_history": "/history N: усі зміни запису: коли, що і чому\n",
    "help_curator": (
        "/history N: усі зміни запису, хто і чому їх вніс (авторів бачать лише куратори "
        "в особистому чаті)\n"
        "\n<b>Команди кураторів</b> (кожна спершу показує попередній перегляд; нічого не "
        "зміниться, доки ви не натиснете «Опублікувати»)\n"
        "/reschedule N ПОЧАТОК [КІНЕЦЬ] [— причина | джерело], напр. "
        "<code>/reschedule 3 2026-02-06 2026-02-07 — делегації попросили більше часу | "
        "Reuters</code>\n"
        "/status N СТАТУС [— причина], напр. <code>/status 3 held</code>\n"
        "/correct N поле=значення … [— причина], напр. "
        "<code>/correct 4 killed=14 — уточнення ДТЕК</code>; переклад українською: "
        '<code>/correct 5 uk.title="…"</code>\n'
        "/revert N НОМЕР: відновити давнішу редакцію як нову\n"
        "/add: додати раунд переговорів, інцидент або заяву крок за кроком (/cancel: вийти)\n"
        "/claim N СТАТУС [scope=МІСЦЯ] — причина | джерело, напр. "
        "<code>/claim 11 disputed — удари по містах тривали | Reuters https://…</code>\n\n"
    ),
    # --- lists ------------------------------------------------------------------------------
    "talks_header": "<b>Мирні переговори</b>",
    "talks_upcoming": "<b>Заплановані</b>",
    "talks_past": "<b>Раніше</b>",
    "talks_empty": "Жодного раунду переговорів ще не внесено.",
    "talks_none_upcoming": ("Нових поки не оголошено; /subscribe talks, щоб дізнатися першими."),
    "incidents_header": "<b>Інциденти</b>{filters}",
    "incidents_empty": "Інцидентів не зафіксовано{filters}.",
    "statements_header": "<b>Заяви</b>",
    "statements_empty": "Жодної заяви ще не внесено.",
    "search_header": "<b>Пошук</b>: {words}",
    "search_empty": "За запитом {words} нічого не знайдено. Спробуйте менше слів або інші.",
    "search_usage": "Напишіть, що шукати, напр. <code>/search Абу-Дабі</code>.",
    "filter_area": " · {area}",
    "filter_period": " · за останні {period}",
    "button_prev": "‹ Новіші",
    "button_next": "Давніші ›",
    "button_prev_plain": "‹ Назад",
    "button_next_plain": "Далі ›",
    "button_event": "#{number}",
    "more_hint": "Торкніться /event_N запису, щоб побачити все: джерела й історію змін.",
    # --- one event --------------------------------------------------------------------------
    "event_usage": "Який запис? Надішліть його номер, напр. <code>/event 3</code>.",
    "event_not_found": "Запису {ref} немає. Номери показано як #N у кожному списку.",
    "label_when": "Коли",
    "label_where": "Де",
    "label_status": "Статус",
    # A state's short everyday name among a record's parties, where CLDR's is long.
    "party_US": "США",
    "label_parties": "Сторони",
    "label_people": "Особи",
    "label_killed": "Загиблих",
    "label_injured": "Поранених",
    "label_said_by": "Хто сказав",
    "label_channel": "у",
    "label_sources": "Джерела",
    "label_note": "Примітка редактора",
    "label_history": "Історія змін",
    "label_tags": "Теги",
    "label_related": "Пов’язані",
    "label_id": "Ідентифікатор",
    "history_created": "створено",
    "history_line": "#{sequence} {at}, {author}: {what}",
    "history_reason": " (чому: {reason})",
    "history_source": " [джерело: {source}]",
    "field_start": "початок",
    "field_end": "кінець",
    "field_status": "статус",
    "field_time_precision": "точність дати",
    "field_timezone": "часовий пояс",
    "field_place": "місце",
    "field_region": "регіон",
    "field_country": "країна",
    "field_title": "заголовок",
    "field_summary": "опис",
    "field_note": "примітка",
    "field_killed": "загиблі",
    "field_injured": "поранені",
    "field_parties": "сторони",
    "field_people": "особи",
    "field_speaker": "хто сказав",
    "field_channel": "де сказано",
    "field_quote": "цитата",
    "field_paraphrase": "переказ",
    "field_claim": "твердження",
    "field_sources": "джерела",
    "field_tags": "теги",
    "field_related": "пов’язані",
    "history_change": "{field} {old} → {new}",
    "empty_value": "—",
    "moved": "{status}: було {old}, тепер {new}",
    "moved_times.one": " (переносили {count} раз)",
    "moved_times.few": " (переносили {count} рази)",
    "moved_times.many": " (переносили {count} разів)",
    "moved_times.other": " (переносили {count} раза)",
    "venue_time": "{time} за місцевим часом ({place})",
    "around": "приблизно {when}",
    "precision_month": "{when}",
    "casualty_at_least": "щонайменше {count}",
    "casualty_about": "близько {count}",
    "casualty_exact": "{count}",
    "casualty_none_reported": "не повідомлялося",
    "says_who": "за даними: {source}",
    "reported_speech": "<i>Переказ за {source}, не цитата:</i> {text}",
    "untranslated_mark": "<i>(не перекладено)</i>",
    "quote_translation": "<i>Переклад:</i> {text}",
    "author_editor": "редактор",
    # --- claims ------------------------------------------------------------------------------
    "claims_header": "<b>Твердження</b> та їхній статус, як його встановили редактори, з джерелом",
    "claims_empty": "Жодного твердження ще не внесено.",
    "claim_status_unverified": "не перевірено",
    "claim_status_confirmed": "підтверджено",
    "claim_status_disputed": "спростовується",
    "claim_status_false": "неправда",
    "claim_line": "<i>Твердження:</i> {status} · <i>стосується:</i> {scope}",
    "label_claim": "Твердження",
    "label_scope": "Стосується",
    "claim_status": "<i>Статус за оцінкою редакторів:</i> {status}",
    "claim_source": "<i>За даними:</i> {source}",
    "claim_since_header": "Інциденти, зафіксовані там відтоді, як це було сказано",
    "claim_since_none": "Поки жодного.",
    "claim_value": "{status} (стосується: {scope})",
    # --- statuses ---------------------------------------------------------------------------
    "status_scheduled": "заплановано",
    "status_postponed": "перенесено",
    "status_held": "відбулися",
    "status_cancelled": "скасовано",
    "status_reported": "повідомлено",
    "status_confirmed": "підтверджено",
    # --- alerts -------------------------------------------------------------------------------
    "alert_talks_new": "🗓 <b>Новий раунд переговорів</b>: {title}",
    "alert_talks_change": "🔔 <b>{title}</b> {what}",
    "alert_talks_dates": "{status}: було {old}, тепер {new}",
    "alert_talks_status": "{status} (було: {old})",
    "alert_talks_venue": "Місце: було {old}, тепер {new}",
    "alert_moves.one": "Цей раунд переносили {count} раз.",
    "alert_moves.few": "Цей раунд переносили {count} рази.",
    "alert_moves.many": "Цей раунд переносили {count} разів.",
    "alert_moves.other": "Цей раунд переносили {count} раза.",
    "alert_why": "<i>Причина:</i> {reason}",
    "alert_source": "<i>Джерело:</i> {source}",
    "alert_incident_new": "⚠️ <b>{title}</b>",
    "alert_incident_correction": "✏️ <b>Виправлення</b>: {title}",
    "alert_casualty_change": "{label}: було {old}, тепер {new}",
    "alert_statement_new": "💬 <b>{speaker}</b>{channel}",
    "alert_claim_status": "⚖️ <b>Твердження: {status}</b>: {speaker}",
    "alert_claim_was": "Попередній статус: {old}.",
    "alert_reminder": "⏰ <b>Через {offset}</b>: {title}",
    "alert_more": "Повний запис: /event_{number}",
    "moved_word": "перенесено",
    # --- subscriptions --------------------------------------------------------------------
    "topic_talks": "Переговори",
    "topic_incidents": "Інциденти",
    "topic_statements": "Заяви",
    "subscribe_menu": (
        "<b>Підписки</b>\nНатисніть тему, щоб увімкнути чи вимкнути її сповіщення. Інциденти "
        "лише в одній області: <code>/subscribe incidents дніпро</code>."
    ),
    "subscribed": "Підписку на {what} оформлено. Ви отримаєте сповіщення, щойно щось зміниться.",
    "already_subscribed": "Цей чат уже отримує {what}.",
    "subscribed_all": "Підписку на переговори, інциденти й заяви оформлено.",
    "unsubscribed": "Вимкнено: {what}.",
    "unsubscribed_all": "Усі підписки скасовано. /subscribe, щоб підписатися знову.",
    "not_subscribed": "Цей чат не був підписаний на {what}.",
    "subscribe_usage": (
        "Підписка: <code>/subscribe talks</code>, <code>/subscribe incidents [місце]</code>, "
        "<code>/subscribe statements</code> або <code>/subscribe all</code>."
    ),
    "unsubscribe_usage": (
        "Відписка: <code>/unsubscribe talks</code>, "
        "<code>/unsubscribe incidents [місце]</code>, "
        "<code>/unsubscribe statements</code> або <code>/unsubscribe all</code>."
    ),
    "what_talks": "сповіщення про переговори (зміни в графіку й нагадування)",
    "what_incidents": "сповіщення про інциденти",
    "what_incidents_in": "сповіщення про інциденти: {area}",
    "what_statements": "сповіщення про заяви",
    "subscriptions_none": "У цього чату немає підписок. Спробуйте /subscribe.",
    "subscriptions_list": (
        "<b>Цей чат отримує</b>\n{items}\n\nНатисніть кнопку, щоб вимкнути підписку."
    ),
    "subscription_item": "• {what}",
    "button_remove": "✖ {what}",
    "button_on": "✅ {topic}",
    "button_off": "▫️ {topic}",
    "admins_only": "Змінювати підписки й налаштування групи можуть лише її адміністратори.",
    "region_only_incidents": "Обмежити місцем можна лише інциденти.",
    # --- settings ---------------------------------------------------------------------------
    "settings_show": (
        "<b>Налаштування</b>\nЧасовий пояс: {zone}\nНагадування перед переговорами: "
        "{reminders}\nТихі години: {quiet}\nЩоденний дайджест: {digest}\n"
        "Беззвучні сповіщення: {silent}\nМова: {language} (змінити: /language)\n\n"
        "Змінити: <code>/settings zone Київ</code> (місто або пояс, як-от "
        "<code>Europe/Berlin</code>), <code>/settings reminders 24h,1h</code> (або "
        "<code>off</code>), <code>/settings silent on</code> (або <code>off</code>), "
        "<code>/quiet 23:00-07:00</code> (або <code>off</code>) і <code>/digest 08:00</code> "
        "(або <code>off</code>)."
    ),
    "reminders_off": "вимкнено",
    "settings_zone_set": "Відтепер час показано за поясом {zone}.",
    "settings_reminders_set": "Нагадування: {reminders}.",
    "settings_usage": (
        "Напишіть <code>/settings zone МІСТО</code> (напр. Київ, Kyiv, Вашингтон або пояс "
        "Europe/Kyiv), <code>/settings reminders 24h,1h</code>, "
        "<code>/settings reminders off</code> чи <code>/settings silent on</code> (або "
        "<code>off</code>)."
    ),
    "settings_reminders_bad": (
        "Не вийшло: нагадування задають часом до раунду, напр. <code>24h</code>, <code>90m</code> чи "
        "<code>2d</code>, від 5 хвилин до 14 днів, щонайбільше {limit}; або "
        "<code>off</code>. Напр. <code>/settings reminders 24h,1h</code>."
    ),
    "settings_bad": "Не вийшло: {problem}.",
    "settings_zone_unknown": (
        "Не вийшло: не знаю часового поясу чи місця {zone}. Назвіть місто, напр. "
        "<code>/settings zone Київ</code> чи <code>/settings zone Washington</code>, або "
        "пояс, як-от <code>Europe/Kyiv</code>."
    ),
    "settings_zone_suggest": (
        "Не вийшло: не знаю часового поясу чи місця {zone}. Можливо, ви мали на увазі:\n{items}"
    ),
    "zone_suggestion": "• <code>/settings zone {name}</code> ({zone})",
    # --- quiet hours, daily digest, silent delivery -----------------------------------------
    "quiet_show": (
        "Тихі години: {window} (за поясом {zone}). Сповіщення в цей час чекають, а коли тихі "
        "години минають, ви отримуєте одне підсумкове повідомлення; нагадування й зміни в "
        "раунді, до якого менше 48 годин, усе одно надходять, але без звуку. "
        "<code>/quiet off</code> вимикає їх."
    ),
    "quiet_none": (
        "Тихих годин немає. Задайте їх: <code>/quiet 23:00-07:00</code> (за поясом {zone}): "
        "сповіщення тоді чекатимуть, а по завершенні ви отримаєте одне підсумкове повідомлення."
    ),
    "quiet_set": (
        "Тихі години: {window} (за поясом {zone}). Сповіщення в цей час чекатимуть, а о {end} "
        "ви отримаєте одне підсумкове повідомлення. Нагадування й зміни в раунді, до якого "
        "менше 48 годин, усе одно надходять, але без звуку."
    ),
    "quiet_off": "Тихі години вимкнено: сповіщення надходять одразу.",
    "quiet_off_catchup": "Тихі години вимкнено. Усе, що чекало, надходить зараз одним повідомленням.",
    "quiet_usage": (
        "Вкажіть початок і кінець, напр. <code>/quiet 23:00-07:00</code> (час за поясом "
        "{zone}; проміжок може переходити через північ), або <code>/quiet off</code>."
    ),
    "quiet_bad_time": (
        "{value} не є часом доби: пишіть у 24-годинному форматі ГГ:ХХ, від 00:00 до 23:59, "
        "напр. <code>/quiet 23:00-07:00</code>. Нічого не змінено."
    ),
    "quiet_same": (
        "Кінець тихих годин має відрізнятися від початку, напр. <code>/quiet 23:00-07:00</code>. "
        "Нічого не змінено."
    ),
    "digest_show": (
        "Щоденний дайджест о {at} (за поясом {zone}): одне повідомлення на день про те, що "
        "змінилося, замість сповіщень одразу. <code>/digest off</code> повертає миттєві "
        "сповіщення."
    ),
    "digest_none": (
        "Сповіщення надходять одразу. Натомість одне повідомлення на день про те, що "
        "змінилося: <code>/digest 08:00</code> (за поясом {zone})."
    ),
    "digest_set": (
        "Щоденний дайджест о {at} (за поясом {zone}): замість сповіщень одразу, одне "
        "повідомлення на день про те, що змінилося від попереднього (нічого, якщо змін не "
        "було). Нагадування перед переговорами надходять у свій час."
    ),
    "digest_off": "Щоденний дайджест вимкнено: сповіщення знову надходять одразу.",
    "digest_off_catchup": (
        "Щоденний дайджест вимкнено: сповіщення знову надходять одразу. Те, що назбирав "
        "дайджест, надходить зараз одним повідомленням."
    ),
    "digest_usage": (
        "Вкажіть час доби, напр. <code>/digest 08:00</code> (24-годинний формат ГГ:ХХ, за "
        "поясом {zone}), або <code>/digest off</code>."
    ),
    "digest_bad_time": (
        "{value} не є часом доби: пишіть у 24-годинному форматі ГГ:ХХ, напр. "
        "<code>/digest 08:00</code>. Нічого не змінено."
    ),
    "silent_on": "Сповіщення в цей чат відтепер надходять без звуку.",
    "silent_off": "Сповіщення в цей чат знову надходять зі звуком (поза тихими годинами).",
    "silent_usage": (
        "Напишіть <code>/settings silent on</code> чи <code>/settings silent off</code>. "
        "Нічого не змінено."
    ),
    "setting_off": "вимкнено",
    "setting_on": "увімкнено",
    "summary_quiet_header": "🌙 <b>Поки вас не було</b> ({window}): {count}",
    "summary_quiet_header_plain": "🌙 <b>Поки вас не було</b>: {count}",
    "summary_digest_header": "📰 <b>Щоденний дайджест</b>: {count} від {since}",
    "summary_talks": "<b>Переговори</b>",
    "summary_incidents": "<b>Інциденти</b>",
    "summary_statements": "<b>Заяви</b>",
    "summary_corrections": "<b>Виправлення</b>",
    "summary_round": "🔔 <b>#{number} {title}</b>",
    "summary_round_status": "<i>Статус:</i> {status}",
    "summary_round_new": "🗓 <b>Новий раунд #{number}</b>: {title}",
    "summary_round_changes": "(змін, поки вас не було: {count})",
    "summary_round_changes_digest": "(змін: {count})",
    "summary_area": "<b>{area}</b>: {count}{figures}",
    "summary_no_area": "Місце не вказано",
    "summary_item": "#{number} {title}",
    "summary_area_more": "… і ще {count}: <code>/incidents {area}</code>",
    "summary_more": "… і ще {count}",
    "summary_statement": "#{number} <b>{speaker}</b>: {said}",
    "summary_correction": "✏️ #{number} {title}: {what}",
    "summary_claim": "⚖️ #{number} {speaker}: твердження {status} (було: {old})",
    "summary_footer": "Повний запис: /event N.",
    "summary_count.one": "{count} оновлення",
    "summary_count.few": "{count} оновлення",
    "summary_count.many": "{count} оновлень",
    "summary_count.other": "{count} оновлення",
    "summary_area_count.one": "{count} інцидент",
    "summary_area_count.few": "{count} інциденти",
    "summary_area_count.many": "{count} інцидентів",
    "summary_area_count.other": "{count} інциденту",
    # --- language -------------------------------------------------------------------------
    "language_name": "Українська",
    "language_show": "<b>Мова</b>: {language}\nОберіть мову, якою я пишу в цьому чаті:",
    "language_set": "Відтепер відповідаю в цьому чаті українською.",
    "language_same": "Цей чат уже читає мене українською.",
    "language_unknown": "Мови {language} я не знаю. Оберіть одну з: {choices}.",
    "language_choice": "<code>/language {code}</code> ({name})",
    "language_admins_only": "Змінювати мову групи можуть лише її адміністратори.",
    # --- command menu -----------------------------------------------------------------------
    "cmd_talks": "Раунди переговорів: спершу майбутні, з усіма перенесеннями",
    "cmd_incidents": "Останні інциденти; напр. /incidents дніпро 7d",
    "cmd_statements": "Останні заяви: хто, що і де сказав",
    "cmd_claims": "Твердження посадовців, їхній статус і що сталося відтоді",
    "cmd_event": "Повний запис: /event N",
    "cmd_search": "Пошук у всіх записах: /search СЛОВА",
    "cmd_subscribe": "Сповіщення: перенесення переговорів, інциденти, заяви",
    "cmd_unsubscribe": "Вимкнути сповіщення: /unsubscribe all",
    "cmd_subscriptions": "На що підписаний цей чат",
    "cmd_calendar": "Переговори у вашому календарі (.ics)",
    "cmd_settings": "Часовий пояс, нагадування, беззвучні сповіщення",
    "cmd_quiet": "Тихі години: /quiet 23:00-07:00 або off",
    "cmd_digest": "Одне повідомлення на день: /digest 08:00 або off",
    "cmd_language": "Мова: українська чи англійська",
    "cmd_help": "Усі команди з прикладами",
    "cmd_start": "Що це за бот",
    # --- dates and durations ----------------------------------------------------------------
    # MMMM in a date is the genitive ("4 лютого"); LLLL alone is the nominative ("лютий").
    "date_weekday": "EEE",
    "date_month": "MMMM",
    "date_month_year": "LLLL y",
    "date_clock": "HH:mm",
    "duration_length": "short",
    # --- errors and fallbacks ---------------------------------------------------------------
    "unknown_command": "Команди {command} я не знаю. Список команд: /help.",
    "plain_text": "Я відповідаю на команди. Список: /help; графік переговорів: /talks.",
    "bad_period": (
        "Не можу прочитати період {period}. Напишіть число й одиницю: "
        "<code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code> чи <code>1y</code>."
    ),
    "area_too_long": "Назва місця задовга; спробуйте коротшу, напр. <code>дніпро</code>.",
    "too_many_words": "Запит задовгий; щонайбільше {limit} символів.",
    "button_expired": "Ця кнопка вже не працює. Надішліть команду ще раз.",
    "store_busy": "Сховище зайняте великим оновленням, тож нічого не змінено. Спробуйте ще раз за хвилину.",
    "internal_error": "У мене щось пішло не так. Спробуйте ще раз за хвилину.",
    "reply_failed": "Вибачте, моя відповідь не дійшла: Telegram був недоступний. Запитайте ще раз.",
    "sync_failed": ("⚠️ <b>Файл {name} не імпортовано</b> (нічого з нього не змінено):\n{problems}"),
    "sync_more": "… і ще {count}",
    "slow_down": "Забагато команд одночасно. Трохи зачекайте: незабаром я знову відповідатиму.",
    "error_report": "⚠️ <b>Помилка sitrep</b> ({kind}): {detail}",
    # --- calendar and web pages -------------------------------------------------------------
    "calendar_name": "sitrep: мирні переговори",
    "calendar_description": (
        "Раунди мирних переговорів США, Росії й України, внесені редакторами з джерелами. "
        "Раунд, день якого ще невідомий, з’явиться, щойно його оголосять."
    ),
    "calendar_cancelled": "Скасовано: {title}",
    "calendar_record_page": "Повний запис: {url}",
    "calendar_caption": (
        "<b>Календар переговорів</b>: усі раунди з відомим днем. Відкрийте talks.ics, щоб "
        "додати їх у свій календар (на телефоні: торкніться файлу; Google Календар у браузері: "
        "Налаштування › Імпорт і експорт). Файл сам не оновлюється: надішліть /calendar ще "
        "раз, коли раунд перенесуть."
    ),
    "calendar_caption_feed": (
        "Щоб бачити кожне перенесення автоматично, підпишіться на живий календар: {url}"
    ),
    "web_page_link": 'Вебсторінка: <a href="{url}">{shown}</a>',
    "web_home": "Головна",
    "web_tagline": (
        "Перевірені новини про російсько-українську війну та мирні переговори США, Росії й "
        "України. Кожен запис вніс редактор: з джерелами й усіма пізнішими виправленнями."
    ),
    "web_calendar": "Календар",
    "web_calendar_hint": (
        'Переговори у вашому календарі: підпишіться на <a href="{url}">talks.ics</a>; він '
        "оновлюється після кожного перенесення."
    ),
    "web_none_upcoming": "Нових поки не оголошено.",
    "web_latest_incidents": "Останні інциденти",
    "web_all_talks": "Усі раунди переговорів ›",
    "web_all_incidents": "Усі інциденти ›",
    "web_area": "Місце",
    "web_period": "Період",
    "web_show": "Показати",
    "web_filter_hint": (
        "Місце: початок назви області чи населеного пункту, напр. <code>дніпро</code>. "
        "Період: <code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code> чи "
        "<code>1y</code>."
    ),
    "web_times_in": "Час показано за поясом {zone}.",
    "web_not_found": "Такої сторінки тут немає.",
    "web_method_not_allowed": "Ці сторінки можна лише читати.",
    "web_bad_request": "Не можу прочитати цей запит.",
    "web_footer": (
        "sitrep: редактори вносять кожен запис за опублікованими повідомленнями й називають "
        "джерело кожного факту."
    ),
    # --- curation ---------------------------------------------------------------------------
    "cur_refused": (
        "Вибачте, змінювати записи можуть лише куратори sitrep. Читати можна все: "
        "/talks, /incidents, /statements і /event N (з джерелами та історією змін)."
    ),
    "cur_press_refused": "Публікувати зміни можуть лише куратори; нічого не змінено.",
    "cur_not_yours": (
        "Опублікувати чи скасувати цю зміну може лише куратор, який її запропонував; нічого "
        "не змінено."
    ),
    "cur_reason_hint": (
        "Причину додайте після тире, а джерело після вертикальної риски: "
        "<code>— делегації попросили більше часу | Офіс Президента https://…</code>"
    ),
    "cur_usage_reschedule": (
        "Напишіть <code>/reschedule N ПОЧАТОК [КІНЕЦЬ] [СТАТУС] — причина</code>, напр. "
        "<code>/reschedule 3 2026-02-06 2026-02-07 — делегації попросили більше часу</code>. "
        "Дати: <code>2026-02-06</code>, <code>2026-02</code>, <code>завтра</code>, місцевий "
        "час <code>2026-02-06 10:00</code> чи <code>завтра 14:00</code> (за поясом раунду) "
        "або <code>2026-02-06T10:00+04:00</code>. Без статусу раунд, перенесений на пізніше, "
        "стає postponed, а на раніше: scheduled."
    ),
    "cur_usage_status": (
        "Напишіть <code>/status N СТАТУС — причина</code>: переговори бувають scheduled, "
        "postponed, held чи cancelled; інциденти reported чи confirmed. Напр. "
        "<code>/status 3 held — раунд відбувся</code>."
    ),
    "cur_usage_correct": (
        "Напишіть <code>/correct N поле=значення … — причина</code>, напр. "
        '<code>/correct 4 killed=14 place="Кривий Ріг" — уточнення ОВА</code>.'
        "\nПоля: {fields}.\nЧисла: <code>14</code> (рівно 14), <code>14+</code> "
        "(щонайменше 14), <code>~14</code> (близько 14), <code>none</code>. Дати як у /add: "
        "<code>start=завтра 14:00</code> читаю за поясом запису. Інші значення з пробілами "
        "беріть у подвійні лапки."
    ),
    "cur_usage_revert": (
        "Напишіть <code>/revert N НОМЕР — причина</code>, напр. <code>/revert 3 0</code>: "
        "запис, яким він був у тій редакції, стане новою редакцією. "
        "Редакції: <code>/history N</code>."
    ),
    "cur_usage_history": "Який запис? Напр. <code>/history 3</code>.",
    "cur_quotes_unclosed": "лапки не закрито",
    "cur_quotes_escape": "зворотна скісна риска, після якої нічого немає",
    "cur_bad_quotes": (
        "Не можу це прочитати ({problem}). Значення з пробілами беріть у подвійні лапки, "
        'напр. <code>place="Кривий Ріг"</code>.'
    ),
    "cur_not_field_value": "Очікую <code>поле=значення</code>, а не {word}.",
    "cur_unknown_field": "Поле {field} так виправити не можна. Поля: {fields}.",
    "cur_field_twice": "Поле {field} вказано двічі.",
    "cur_bad_casualty": (
        "{field} має бути цілим числом: <code>14</code> (рівно), <code>14+</code> "
        "(щонайменше) чи <code>~14</code> (близько), або <code>none</code>, якщо невідомо; "
        "а не {value}."
    ),
    "cur_negative": "{field} не може бути від’ємним ({value}).",
    "cur_bad_qualifier": (
        "Уточнення для {field}: at_least, about чи exact (або запис <code>14+</code>, "
        "<code>~14</code>), а не {value}."
    ),
    "cur_figure_too_big": "{field}: {value} не схоже на реальне число.",
    "cur_no_figure": "Для {field} немає числа, яке можна уточнити; вкажіть його, напр. {field}=~14.",
    "cur_reason_too_long": "Причина має {length} символів; щонайбільше {limit}.",
    "cur_too_long": "Поле {what} має {length} символів; щонайбільше {limit}.",
    "cur_bad_source": "Назвіть джерело; за ним може йти посилання.",
    "cur_bad_url": "{url} не підходить як посилання: воно має починатися з http:// чи https://.",
    "cur_bad_sequence": "{value} не є номером редакції; список: <code>/history N</code>.",
    "cur_no_revision": "У #{number} немає редакції {sequence}; список: /history {number}.",
    "cur_invalid": "Цю зміну внести не можна:\n{problems}\nНічого не змінено.",
    "cur_problem": "• {problem}",
    # --- problems: що сховище знайшло не так у введеному куратором (storage/problems.py) ---
    "problem_field": "{field}: {problem}",
    "problem_record": "{file}: {unit} {index} (id {id}): {problems}",
    "problem_unit_record": "запис",
    "problem_unit_row": "рядок",
    "problem_date_year": "рік {year} поза межами {low}–{high}",
    "problem_date_not_text": "має бути текстом у форматі ISO 8601",
    "problem_date_impossible": "дати «{value}» не існує",
    "problem_date_no_offset": "у «{value}» немає зсуву від UTC: додайте Z або +HH:MM",
    "problem_date_form": (
        "«{value}» — не дата: пишіть РРРР-ММ, РРРР-ММ-ДД або РРРР-ММ-ДДTГГ:ХХ+ГГ:ХХ"
    ),
    "problem_zone_form": "має бути часовим поясом IANA, як-от Europe/Kyiv",
    "problem_zone_unknown": "часового поясу «{value}» я не знаю",
    "problem_not_text": "має бути текстом",
    "problem_too_long": "має {length} символів, а можна щонайбільше {limit}",
    "problem_required": "обов’язкове поле",
    "problem_one_of": "має бути одним із: {choices}",
    "problem_start_required": "обов’язкове поле (якщо дата непевна, вкажіть точність approximate)",
    "problem_exact_needs_time": "для точності exact потрібен початок із часом і зсувом",
    "problem_day_needs_day": "для точності day потрібен початок із днем",
    "problem_end_before_start": "кінець {end} раніше за початок {start}",
    "problem_casualties_not_incident": "кількість загиблих і поранених буває лише в інцидентів",
    "problem_casualties_form": "має бути число з уточненням (at_least, about або exact)",
    "problem_count_not_whole": "кількість має бути цілим числом, а не {value}",
    "problem_count_negative": "кількість не може бути від’ємною ({count})",
    "problem_count_implausible": "кількість {count} неправдоподібна",
    "problem_qualifier_one_of": "уточнення має бути одним із: {choices}",
    "problem_source_required": "потрібне принаймні одне джерело",
    "problem_shape": "має бути відображенням із ключами {keys}",
    "problem_unknown_keys": "невідомі ключі: {keys}",
    "problem_supports_form": "має бути списком назв полів, наприклад [killed]",
    "problem_source_name": "обов’язкове поле (щонайбільше {limit} символів)",
    "problem_url_form": "має бути адресою http(s)",
    "problem_text_at_most": "має бути текстом щонайбільше на {limit} символів",
    "problem_claim_not_statement": "твердженням може бути лише заява",
    "problem_claim_scope_required": "потрібне, щоб зробити заяву твердженням",
    "problem_scope_form": "має перелічувати від 1 до {limit} місць, регіонів чи країн (коротко)",
    "problem_claim_source_required": "потрібне для статусу {status}",
    "problem_translations_form": "має зіставляти мови з перекладеними полями, наприклад uk.title",
    "problem_translation_language": "записи не перекладають цією мовою (лише {choices})",
    "problem_translation_fields": "має зіставляти поля ({choices}) з текстом",
    "problem_not_translatable": "не перекладається (лише {choices})",
    "problem_translates_nothing": "перекладає поле {name}, якого в записі немає",
    "problem_list_form": "має бути списком коротких текстів (до {limit} символів кожен)",
    "problem_list_too_long": "має понад {limit} елементів",
    "problem_not_event_id": "«{value}» — не id запису",
    "problem_coordinates_pair": "широту й довготу вказують разом",
    "problem_not_number": "має бути числом",
    "problem_out_of_range": "має бути від {low} до {high}",
    "problem_not_a_field": "такого поля в записі немає",
    "problem_id_form": (
        "має складатися з 1–100 латинських літер, цифр, крапок, підкреслень чи дефісів, "
        "не лише з цифр (наприклад, kyiv-2026-02)"
    ),
    "problem_positive_whole": "має бути цілим додатним числом",
    "problem_whole_or_zero": "має бути цілим числом, 0 або більше",
    "problem_kind_one_of": "має бути одним із: {choices}, а не {value}",
    "problem_status_one_of": "для {kind} має бути одним із: {choices}",
    "problem_no_status": "записи {kind} не мають статусу",
    "problem_speaker_required": "обов’язкове для заяви",
    "problem_quote_required": (
        "заяві потрібна цитата (слова, які джерело подає в лапках) або переказ (непряма мова)"
    ),
    "problem_revision_at": (
        "це час зміни в сховищі: момент ISO 8601 зі зсувом; для історії, внесеної зараз, "
        "пропустіть його, а дату зміни вкажіть у happened"
    ),
    "problem_needs_happened": "потребує `happened`",
    "problem_given_twice": "{value} вказано двічі",
    "problem_not_mapping": "має бути відображенням",
    "problem_record_not_mapping": "не є відображенням",
    "problem_not_list": "має бути списком",
    "problem_sequence_below": "{value} менше за номер останньої редакції, {latest}",
    "problem_acled_date_form": "«{value}» — не дата: ACLED пише РРРР-ММ-ДД або 12 March 2024",
    "problem_value_not_number": "«{value}» — не число",
    "problem_value_out_of_range": "{value} не в межах від {low} до {high}",
    "problem_fatalities_required": "обов’язкове поле (ціле число, 0 або більше)",
    "problem_value_not_whole": "«{value}» — не ціле число",
    "problem_row_width": "має {fields} полів, а заголовок — {header}",
    "problem_acled_id_form": "може містити лише латинські літери, цифри, крапки, підкреслення й дефіси",
    "problem_acled_precision": "має бути 1, 2 або 3, а не «{value}»",
    "problem_acled_no_source": "не називає джерела, а кожному рядку ACLED воно потрібне",
    "problem_not_talks": "перенести можна лише раунд переговорів",
    "problem_not_changeable": "так змінити не можна",
    "problem_id_exists": "{value} уже існує",
    "problem_number_twice": "той самий номер вказано двічі",
    "problem_number_taken": "номер {value} уже має інший запис",
    "problem_date_missing": "дату не вказано: пишіть РРРР-ММ, РРРР-ММ-ДД або РРРР-ММ-ДД ГГ:ХХ",
    "problem_time_gap": (
        "«{value}» там не існує ({zone}): о цій порі годинники переводять. Вкажіть інший час "
        "або зсув, напр. +03:00"
    ),
    "problem_time_clock": "«{value}»: такого часу доби немає ({clock}); пишіть ГГ:ХХ, напр. 10:00",
    "problem_time_parts": (
        "«{value}»: це більше, ніж початок і кінець; напр. 2026-02-06 10:00 2026-02-06 16:00"
    ),
    "problem_figure_negative": "не може бути від’ємним ({value})",
    "problem_figure_not_number": (
        "«{value}» — не ціле число: пишіть 12, 12+ (щонайменше) або ~12 (приблизно)"
    ),
    "problem_figure_too_big": "{count} — неправдоподібне число",
    "problem_figure_qualifier": "«{value}» — не 12, 12+ і не ~12",
    "problem_duplicate_in_file": "повторює {unit} {index} цього файлу",
    "problem_number_in_file": "цей номер уже має {unit} {index}",
    "cur_nothing": "Запис {ref} залишився б таким самим, тож публікувати нічого.",
    "cur_revert_reason": "повернено до редакції {sequence}",
    "cur_action_reschedule": "перенесення",
    "cur_action_status": "статус",
    "cur_action_correct": "виправлення",
    "cur_action_revert": "повернення",
    "cur_action_add": "новий запис",
    "cur_action_claim": "твердження",
    "cur_usage_claim": (
        "Напишіть <code>/claim N СТАТУС [scope=МІСЦЯ] — причина | джерело</code>, напр. "
        "<code>/claim 11 disputed — удари по містах тривали | Reuters https://…</code>. "
        "Статуси: unverified, confirmed, disputed, false; для всіх, крім unverified, потрібне "
        "джерело. Заява стає твердженням, коли має scope: "
        '<code>scope="Kyiv,Kharkiv Oblast"</code>.'
    ),
    "cur_claim_value": "{status} · стосується: {scope}",
    "cur_claim_why": " · чому: {reason}",
    "cur_claim_source": " · джерело: {source}",
    "cur_claim_not_statement": "Твердженням може бути лише заява; #{number} не заява.",
    "cur_claim_needs_scope": (
        "#{number} ще не твердження: укажіть, чого воно стосується, напр. "
        '<code>scope=Ukraine</code> чи <code>scope="Kyiv,Kharkiv Oblast"</code>.'
    ),
    "cur_bad_claim_status": (
        "{status} не є статусом твердження: unverified, confirmed, disputed чи false."
    ),
    "cur_kind_talks": "раунд переговорів",
    "cur_kind_incident": "інцидент",
    "cur_kind_statement": "заява",
    "cur_preview_header": "✏️ <b>Попередній перегляд</b> ({action}) #{number} {title}",
    "cur_preview_add_header": "✏️ <b>Попередній перегляд</b>: новий запис ({kind}) <code>{id}</code>",
    "cur_preview_change": "• {field}: {old} → {new}",
    "cur_preview_field": "• {field}: {value}",
    "cur_preview_why": "<i>Причина:</i> {reason}",
    "cur_preview_source": "<i>Джерело:</i> {source}",
    "cur_preview_footer": "<i>Нічого не зміниться, доки ви не натиснете «Опублікувати».</i>",
    "cur_button_publish": "✅ Опублікувати",
    "cur_button_cancel": "✖ Скасувати",
    "cur_published": "✅ <b>Опубліковано</b> як редакцію {sequence} запису #{number} {title}.",
    "cur_published_toast": "Опубліковано.",
    "cur_already_published": "Уже опубліковано, як редакцію {sequence}.",
    "cur_already_cancelled": "Цей перегляд скасовано; надішліть команду ще раз.",
    "cur_already_expired": "Термін цього перегляду минув; надішліть команду ще раз.",
    "cur_cancelled": "✖ Скасовано. Нічого не змінено.",
    "cur_cancelled_toast": "Скасовано.",
    "cur_not_published": "Не опубліковано.",
    "cur_expired": (
        "⌛ Цьому перегляду понад добу, тож його не опубліковано. Надішліть команду ще раз, "
        "щоб отримати новий."
    ),
    "cur_gone": "Цього запису вже немає; нічого не опубліковано.",
    "cur_stale": (
        "⚠️ #{number} змінився після цього перегляду (тепер це редакція {sequence}), тож "
        "нічого не опубліковано. Щоб переглянути зміну щодо запису в теперішньому вигляді, "
        "надішліть:\n<code>{command}</code>"
    ),
    "cur_history_header": "<b>Історія змін #{number}</b> {title}",
    "cur_add_kind": "<b>Новий запис.</b> Що ви додаєте? (/cancel зупиняє на будь-якому кроці.)",
    "cur_add_button_talks": "Раунд переговорів",
    "cur_add_button_incident": "Інцидент",
    "cur_add_button_statement": "Заява",
    "cur_add_kind_chosen": "<b>Новий запис:</b> {kind}.",
    "cur_add_kind_again": "Натисніть кнопку або напишіть talks, incident чи statement.",
    "cur_add_title": "Заголовок? Один рядок, щонайбільше {limit} символів.",
    "cur_add_when": (
        "Коли? День <code>2026-02-06</code> (або <code>сьогодні</code>, <code>вчора</code>, "
        "<code>завтра</code>), місяць <code>2026-02</code>, місцевий час "
        "<code>2026-02-06 10:00</code> (за часовим поясом місця, про яке спитаю далі) чи "
        "<code>2026-02-06T10:00+04:00</code>, або початок і кінець: "
        "<code>2026-02-06 2026-02-07</code>."
    ),
    "cur_add_zone_given": "<i>Час прочитано в поясі {zone}, який ви вказали.</i>",
    "cur_add_zone_place": "<i>Час прочитано в поясі {zone}, поясі цього місця.</i>",
    "cur_add_zone_region": "<i>Час прочитано в поясі {zone}, поясі цього регіону.</i>",
    "cur_add_zone_country": "<i>Час прочитано в поясі {zone}, поясі цієї країни.</i>",
    "cur_add_zone_chat": (
        "<i>Час прочитано в поясі {zone}, поясі цього чату (пояса місця я не знаю; його "
        "задає четверта частина відповіді про місце).</i>"
    ),
    "cur_add_doubt_past": (
        "⚠️ <b>Цей раунд уже минув.</b> Раунди додають, коли їх оголошують: перевірте дату "
        "(рік?) і публікуйте, лише якщо все правильно."
    ),
    "cur_add_doubt_future": (
        "⚠️ <b>Цього ще не сталося: дата в майбутньому.</b> Перевірте дату й публікуйте, "
        "лише якщо все правильно."
    ),
    "cur_add_doubt_far": (
        "⚠️ <b>Ця дата більш ніж на два роки вперед.</b> Перевірте рік і публікуйте, лише "
        "якщо все правильно."
    ),
    "cur_edit_zone_given": "<i>Час прочитано в поясі {zone}, вказаному в timezone=.</i>",
    "cur_edit_zone_record": (
        "<i>Час прочитано в поясі {zone}, поясі цього запису (інший задає "
        "<code>timezone=</code> у /correct).</i>"
    ),
    "cur_edit_zone_chat": (
        "<i>Час прочитано в поясі {zone}, поясі цього чату: пояс запису не читається.</i>"
    ),
    "cur_edit_doubt_past": (
        "⚠️ <b>Ці дати вже минули.</b> Перевірте дату (рік?) і публікуйте, лише якщо все "
        "правильно; якщо раунд відбувся, додайте статус held."
    ),
    "cur_edit_doubt_future": (
        "⚠️ <b>Нова дата в майбутньому: цього ще не сталося.</b> Перевірте дату й "
        "публікуйте, лише якщо все правильно."
    ),
    "cur_edit_doubt_far": (
        "⚠️ <b>Нова дата більш ніж на два роки вперед.</b> Перевірте рік і публікуйте, лише "
        "якщо все правильно."
    ),
    "cur_add_duplicate": (
        "⚠️ <b>Схоже на дублікат:</b> той самий тип, назва й день, що й у {events}. "
        "Публікуйте, лише якщо це інший запис."
    ),
    "cur_add_where": (
        "Де? Один рядок: <code>Місце, Регіон, Країна</code>, напр. "
        "<code>Дніпро, Дніпропетровська область, Україна</code>; четверта частина задає "
        "часовий пояс (<code>Asia/Dubai</code>). <code>-</code>, якщо місця немає."
    ),
    "cur_add_casualties": (
        "Загиблі / поранені? Напр. <code>12+ / 6</code> (12+: щонайменше 12, ~12: близько 12, "
        "12: рівно 12); <code>none</code>, якщо чисел немає."
    ),
    "cur_add_bad_casualties": (
        "Вкажіть обидва числа через скісну риску, напр. <code>12+ / 6</code> чи "
        "<code>3 / none</code>, або <code>none</code>; а не {answer}."
    ),
    "cur_add_speaker": "Хто це сказав?",
    "cur_add_quote": (
        "Слова точно так, як джерело подає їх у лапках (без самих лапок)? Якщо джерело лише "
        "переказує сказане, почніть із <code>~</code>: "
        "<code>~ Росія погодилася на паузу</code> збережеться як переказ і ніколи не "
        "з’явиться в лапках. Щонайбільше {limit} символів."
    ),
    "cur_add_channel": (
        "Де це сказано (Telegram, пресконференція…)? <code>-</code>, якщо невідомо."
    ),
    "cur_add_source": (
        "Джерело? Його назва, за нею може йти посилання, напр. "
        "<code>Харківська ОВА https://t.me/…</code>"
    ),
    "cur_add_bad": "{problem}\nСпробуйте ще раз або /cancel.",
    "cur_add_bad_where": ("Щонайбільше чотири частини через кому: Місце, Регіон, Країна, Пояс."),
    "cur_add_empty": "Тут порожньо.",
    "cur_add_reason": "створено в чаті командою /add",
    "cur_add_cancelled": "Зупинено. Нічого не збережено.",
    "cur_add_timeout": (
        "Ваше /add завершилося: 10 хвилин без відповіді; нічого не збережено. Надішліть /add, "
        "щоб почати знову."
    ),
    "cur_add_text_only": "Відповідайте текстом, будь ласка, або /cancel, щоб зупинитися.",
    "cur_add_private": (
        "Додавайте записи в особистому чаті зі мною: там я можу прочитати ваші відповіді."
    ),
    "cur_nothing_to_cancel": "Скасовувати нічого.",
    # --- say what changed -------------------------------------------------------------------
    "item_heading": "{head} /event_{number}",
    "related_item": "#{number} {title} /event_{number}",
    "history_kind": "<b>{kind}</b>: {what}",
    "when_near": "{when} · {near}",
    "moved_plain": "було {old}, тепер {new}",
    "moved_back": "{status}: {new}",
    "status_with_move": "{status} · {move}",
    "near_today": "сьогодні",
    "near_tomorrow": "завтра",
    "near_hours": "через {count} год",
    "near_minutes": "через {count} хв",
    "figure_with_source": "{label}: {figure} · {source}",
    "figure_sourced": "{figure} · {source}",
    "source_supports": " (для: {fields})",
    # --- what a schedule change is ----------------------------------------------------------
    "change_cancelled": "скасовано",
    "change_reinstated": "відновлено",
    "change_held": "відбулися",
    "change_reverted": "повернено до попередніх дат",
    "change_reverted_first": "повернено до дат, оголошених спершу",
    "change_postponed": "перенесено",
    "change_brought_forward": "перенесено на раніше",
    "change_time_set": "час визначено",
    "change_date_set": "дати визначено",
    "change_time_changed": "час змінено",
    "change_dates_changed": "дати змінено",
    "change_venue_changed": "місце змінено",
    "change_status_changed": "тепер: {status}",
    "alert_talks_status_dates": "{status} (було: {old}): було {old_dates}, тепер {new}",
    "subscribe_area_unknown": (
        "У {area} не зафіксовано жодного інциденту, тож підписку не оформлено. Спробуйте: "
        "{areas}, напр. <code>/subscribe incidents дніпро</code>."
    ),
    "incidents_area_unknown": (
        "У {area} не зафіксовано жодного інциденту. Спробуйте: {areas}, напр. "
        "<code>/incidents дніпро</code>."
    ),
    "ignored_words": "{command} більше нічого не приймає, тож я пропустив: {words}",
    "period_too_long": (
        "{period} довше, ніж я дивлюся назад; найдовший період: <code>{longest}</code>."
    ),
    "cur_preview_readers": "<i>Читачі отримають:</i>",
    "cur_preview_audience.one": "<i>Це сповіщення отримає {count} чат.</i>",
    "cur_preview_audience.few": "<i>Це сповіщення отримають {count} чати.</i>",
    "cur_preview_audience.many": "<i>Це сповіщення отримають {count} чатів.</i>",
    "cur_preview_audience.other": "<i>Це сповіщення отримають {count} чату.</i>",
    "cur_preview_no_audience": "<i>На це ще не підписаний жоден чат, тож сповіщення нікому не піде.</i>",
    "cur_preview_no_alert": (
        "<i>Це нікому не надішле сповіщення: підписники дізнаються про нові раунди, нові дати, "
        "місця й статуси, нові інциденти й заяви та виправлені дані про загиблих і поранених.</i>"
    ),
    "cur_preview_no_alert_new": (
        "<i>Це нікому не надішле сповіщення: інцидент чи заява, що закінчилися понад 7 днів "
        "тому, це історія, а не новини.</i>"
    ),
    # --- графіки (handlers/charts.py) і закріплене табло (handlers/board.py) ---
    "chart_usage": (
        "Який графік? <code>/chart incidents [МІСЦЕ] [ПЕРІОД]</code> (інциденти за тижнями, "
        "із загиблими й пораненими), напр. <code>/chart incidents dnipro 3m</code>, або "
        "<code>/chart talks</code> (раунди на часовій шкалі з кожним перенесенням)."
    ),
    "chart_unknown": "Графіка {what} немає. {usage}",
    "chart_talks_no_args": "<code>/chart talks</code> не бере місця чи періоду. {usage}",
    "chart_incidents_empty": "Інцидентів{filters} не записано, тож графіка немає.",
    "chart_talks_empty": "Раундів переговорів ще не записано, тож графіка немає.",
    "chart_incidents_title": "Інциденти за тижнями{filters}",
    "chart_talks_title": "Раунди мирних переговорів і кожне перенесення",
    "chart_axis_incidents": "Інциденти",
    "chart_axis_people": "Люди",
    "chart_legend_killed": "Загинули",
    "chart_legend_injured": "Поранені",
    "chart_legend_moved": "Перенесено з → на",
    "chart_incidents_caption": (
        "<b>Інциденти за тижнями</b>{filters}, {first} – {last}\n"
        "Інцидентів: {incidents} · тижнів з ними: {weeks} · найбільше за тиждень: {busiest} "
        "({count})\n"
        "Загинули: {killed} · поранені: {injured} (суми записаних цифр; "
        "«щонайменше» враховано як є)"
    ),
    "chart_talks_caption": "<b>Мирні переговори</b>: раундів: {rounds} · перенесень загалом: {moves}",
    "chart_talks_caption_round": "#{number} {title}: {moves}",
    "chart_talks_caption_more": "… і ще {count}",
    "chart_move": "{old} → {new}",
    "board_header": "📌 <b>Мирні переговори та інциденти: табло</b>",
    "board_next_rounds": "<b>Найближчі раунди переговорів</b>",
    "board_none_upcoming": "Поки не оголошено.",
    "board_latest_incidents": "<b>Останні інциденти</b>",
    "board_none_incidents": "Поки не записано.",
    "board_footer": (
        "Оновлюється, коли змінюються переговори чи інциденти. Більше: /talks, /incidents "
        "і /event N."
    ),
    "board_groups_only": (
        "Табло — для груп і каналів: додайте мене до групи й надішліть там /board. Тут те "
        "саме роблять /talks і /subscribe talks."
    ),
    "board_admins_only": (
        "Лише адміністратори цієї групи можуть розмістити чи зупинити табло. Читати його "
        "може кожен, а /talks показує те саме."
    ),
    "board_usage": (
        "<code>/board</code> розміщує й закріплює табло, <code>/board off</code> зупиняє його."
    ),
    "board_not_pinned": (
        "Я розмістив табло, але не можу його закріпити: зробіть мене адміністратором із "
        "правом закріплювати повідомлення й надішліть /board ще раз. Оновлювати його я буду."
    ),
    "board_stopped": "Табло зупинено й відкріплено; більше я його не редагую.",
    "board_none": "У цьому чаті немає табло. /board розміщує його.",
    "settings_board_on": "\nТабло: закріплене тут і оновлюється (<code>/board off</code> зупиняє).",
    "settings_board_off": "\nТабло: немає (<code>/board</code> розміщує й закріплює, лише адміністратори).",
    "cmd_chart": "Графіки: /chart incidents [МІСЦЕ] [ПЕРІОД], /chart talks",
    "cmd_board": "Групи: закріплене табло, що оновлюється; /board off",
}
