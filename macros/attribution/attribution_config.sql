{#-
    Compile-time configuration of the attribution engine: which schemes and windows to build,
    read from the seed `attribution_schemes` and the vars, validated before any SQL is emitted.
    Every check fails with exceptions.raise_compiler_error naming the bad value and the allowed ones.

    Call these from the MODEL with the var values (`var()` read in the model itself), so unit tests
    can override the vars (dbt applies `overrides: vars:` only to vars the model reads directly).
-#}

{#- The position rules the engine knows; see attribution_position_weight. -#}
{% macro attribution_position_rules() %}
    {{ return(['first', 'last', 'linear', 'position_based']) }}
{% endmacro %}


{#- Turn a seed cell (agate value: Decimal, int, bool, str or None) into a float, or none when empty. -#}
{% macro _attribution_to_float(value) %}
    {%- if value is none or (value is string and value | trim == '') -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(value | float) }}
{% endmacro %}


{#- Turn a seed cell into a boolean, or none when it is not a recognisable boolean. -#}
{% macro _attribution_to_bool(value) %}
    {%- if value is sameas true or value is sameas false -%}
        {{ return(value) }}
    {%- elif value is string and value | trim | lower in ['true', 't', '1', 'yes'] -%}
        {{ return(true) }}
    {%- elif value is string and value | trim | lower in ['false', 'f', '0', 'no'] -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}


{#-
    validate_attribution_scheme(row, row_number): check one row of seed attribution_schemes and return
    it as a plain dict {scheme_id, position_rule, first_weight, middle_weight, last_weight,
    half_life_days, use_interaction_weights, description}. Rules:
      * scheme_id: lowercase letters, digits and underscores, starting with a letter;
      * position_rule: one of attribution_position_rules();
      * position_based: first_weight, middle_weight, last_weight all set, each >= 0, summing to 1 (1e-9);
        other rules: the three weights left empty (they would have no effect);
      * half_life_days: empty (no decay) or > 0;
      * use_interaction_weights: true or false.
-#}
{% macro validate_attribution_scheme(row, row_number) %}
    {%- set rules = kol_attr.attribution_position_rules() -%}
    {%- set scheme_id = row['scheme_id'] -%}
    {%- set where = "seed attribution_schemes, row " ~ row_number ~ " (scheme_id '" ~ scheme_id ~ "')" -%}
    {%- if scheme_id is none or not modules.re.match('^[a-z][a-z0-9_]*$', scheme_id | string) -%}
        {{ exceptions.raise_compiler_error(where ~ ": scheme_id must be lowercase letters, digits and underscores, starting with a letter.") }}
    {%- endif -%}
    {%- set rule = row['position_rule'] -%}
    {%- if rule not in rules -%}
        {{ exceptions.raise_compiler_error(where ~ ": position_rule '" ~ rule ~ "' is unknown; allowed: " ~ rules | join(', ') ~ ".") }}
    {%- endif -%}
    {%- set weights = {} -%}
    {%- for name in ['first_weight', 'middle_weight', 'last_weight'] -%}
        {%- set value = kol_attr._attribution_to_float(row[name]) -%}
        {%- if rule == 'position_based' -%}
            {%- if value is none -%}
                {{ exceptions.raise_compiler_error(where ~ ": position_rule position_based needs " ~ name ~ " (a number >= 0; first + middle + last = 1).") }}
            {%- elif value < 0 -%}
                {{ exceptions.raise_compiler_error(where ~ ": " ~ name ~ " = " ~ value ~ "; position weights must be >= 0.") }}
            {%- endif -%}
        {%- elif value is not none -%}
            {{ exceptions.raise_compiler_error(where ~ ": " ~ name ~ " = " ~ value ~ " has no effect with position_rule '" ~ rule ~ "'; leave it empty (weights apply to position_based only).") }}
        {%- endif -%}
        {%- do weights.update({name: value}) -%}
    {%- endfor -%}
    {%- if rule == 'position_based' -%}
        {%- set total = weights['first_weight'] + weights['middle_weight'] + weights['last_weight'] -%}
        {%- if (total - 1.0) | abs > 1e-9 -%}
            {{ exceptions.raise_compiler_error(where ~ ": first_weight + middle_weight + last_weight = " ~ total ~ "; they must sum to 1.") }}
        {%- endif -%}
    {%- endif -%}
    {%- set half_life = kol_attr._attribution_to_float(row['half_life_days']) -%}
    {%- if half_life is not none and half_life <= 0 -%}
        {{ exceptions.raise_compiler_error(where ~ ": half_life_days = " ~ half_life ~ "; it must be > 0 (days), or empty for no decay.") }}
    {%- endif -%}
    {%- set use_weights = kol_attr._attribution_to_bool(row['use_interaction_weights']) -%}
    {%- if use_weights is none -%}
        {{ exceptions.raise_compiler_error(where ~ ": use_interaction_weights = '" ~ row['use_interaction_weights'] ~ "'; allowed: true, false.") }}
    {%- endif -%}
    {{ return({
        'scheme_id': scheme_id | string,
        'position_rule': rule,
        'first_weight': weights['first_weight'],
        'middle_weight': weights['middle_weight'],
        'last_weight': weights['last_weight'],
        'half_life_days': half_life,
        'use_interaction_weights': use_weights,
        'description': row['description'],
    }) }}
{% endmacro %}


{#-
    get_attribution_schemes(selected): the validated schemes to build, as a list of dicts (see
    validate_attribution_scheme), in seed order. `selected` is the value of var kol_attr__schemes:
    none = every seed row, else a non-empty list of scheme_ids present in the seed.
    Reads the seed with run_query, so it returns [] while dbt parses (execute is false).
-#}
{% macro get_attribution_schemes(selected=none) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {#- graph is empty inside a unit test: then the seed sits in the target schema (config seeds have no custom schema) -#}
    {%- set nodes = graph.get('nodes', {}) if graph is mapping else graph.nodes -%}
    {%- set seed_node = nodes.values() | selectattr('resource_type', 'equalto', 'seed')
        | selectattr('package_name', 'equalto', 'kol_attr')
        | selectattr('name', 'equalto', 'attribution_schemes') | first -%}
    {%- if seed_node is defined and seed_node is not none -%}
        {%- set seed_relation = api.Relation.create(
            database=seed_node.database, schema=seed_node.schema, identifier=seed_node.alias) -%}
    {%- else -%}
        {%- set seed_relation = api.Relation.create(
            database=(target.database if target.database is defined else none),
            schema=target.schema, identifier='attribution_schemes') -%}
    {%- endif -%}
    {%- if adapter.get_relation(seed_relation.database, seed_relation.schema, seed_relation.identifier) is none -%}
        {{ exceptions.raise_compiler_error("seed attribution_schemes is not loaded (" ~ seed_relation ~ "): the schemes are read at compile time; run `dbt seed --select attribution_schemes` (or `dbt build`, which seeds first) before compiling.") }}
    {%- endif -%}
    {%- set table = run_query(
        "select scheme_id, position_rule, first_weight, middle_weight, last_weight, half_life_days, "
        ~ "use_interaction_weights, description from " ~ seed_relation) -%}
    {%- set schemes = [] -%}
    {%- set seen = [] -%}
    {%- for row in table.rows -%}
        {%- set scheme = kol_attr.validate_attribution_scheme(row, loop.index) -%}
        {%- if scheme['scheme_id'] in seen -%}
            {{ exceptions.raise_compiler_error("seed attribution_schemes, row " ~ loop.index ~ ": scheme_id '" ~ scheme['scheme_id'] ~ "' appears twice; scheme ids must be unique.") }}
        {%- endif -%}
        {%- do seen.append(scheme['scheme_id']) -%}
        {%- do schemes.append(scheme) -%}
    {%- endfor -%}
    {%- if schemes | length == 0 -%}
        {{ exceptions.raise_compiler_error("seed attribution_schemes is empty; add at least one scheme row.") }}
    {%- endif -%}
    {%- if selected is none -%}
        {{ return(schemes) }}
    {%- endif -%}
    {%- if selected is string or selected is mapping or selected is not iterable or selected | length == 0 -%}
        {{ exceptions.raise_compiler_error("var kol_attr__schemes = " ~ selected ~ ": give a non-empty list of scheme_ids, or null for all; allowed: " ~ seen | join(', ') ~ ".") }}
    {%- endif -%}
    {%- set chosen = [] -%}
    {%- for scheme_id in selected -%}
        {%- if scheme_id not in seen -%}
            {{ exceptions.raise_compiler_error("var kol_attr__schemes: '" ~ scheme_id ~ "' is not a scheme_id of seed attribution_schemes; allowed: " ~ seen | join(', ') ~ ".") }}
        {%- endif -%}
    {%- endfor -%}
    {%- for scheme in schemes if scheme['scheme_id'] in selected -%}
        {%- do chosen.append(scheme) -%}
    {%- endfor -%}
    {{ return(chosen) }}
{% endmacro %}


{#-
    get_attribution_windows(windows): validate var kol_attr__windows_days (a non-empty list of distinct
    positive integers, days) and return it sorted ascending.
-#}
{% macro get_attribution_windows(windows) %}
    {%- if windows is none or windows is string or windows is mapping or windows is not iterable or windows | length == 0 -%}
        {{ exceptions.raise_compiler_error("var kol_attr__windows_days = " ~ windows ~ ": give a non-empty list of positive integers (days), e.g. [7, 14, 30, 60, 90, 120].") }}
    {%- endif -%}
    {%- set checked = [] -%}
    {%- for window in windows -%}
        {%- if window is not integer or window is sameas true or window is sameas false or window <= 0 -%}
            {{ exceptions.raise_compiler_error("var kol_attr__windows_days: '" ~ window ~ "' is not a positive integer number of days; allowed: integers >= 1.") }}
        {%- endif -%}
        {%- if window in checked -%}
            {{ exceptions.raise_compiler_error("var kol_attr__windows_days: " ~ window ~ " appears twice; each window once.") }}
        {%- endif -%}
        {%- do checked.append(window) -%}
    {%- endfor -%}
    {{ return(checked | sort) }}
{% endmacro %}


{#-
    get_attribution_path_options(reset_path, dedup_minutes, max_path_length, touch_signals): validate the
    path vars read by int_conversion_paths and return them as a dict.
-#}
{% macro get_attribution_path_options(reset_path, dedup_minutes, max_path_length, touch_signals) %}
    {%- set known_signals = kol_attr.attribution_touch_signals() -%}
    {%- if reset_path is not sameas true and reset_path is not sameas false -%}
        {{ exceptions.raise_compiler_error("var kol_attr__reset_path_on_conversion = " ~ reset_path ~ "; allowed: true, false.") }}
    {%- endif -%}
    {%- if dedup_minutes is none or dedup_minutes is not number or dedup_minutes is sameas true or dedup_minutes is sameas false or dedup_minutes < 0 -%}
        {{ exceptions.raise_compiler_error("var kol_attr__dedup_minutes = " ~ dedup_minutes ~ "; allowed: a number of minutes >= 0 (0 = keep every touch).") }}
    {%- endif -%}
    {%- if max_path_length is not none and (max_path_length is not integer or max_path_length is sameas true or max_path_length is sameas false or max_path_length < 1) -%}
        {{ exceptions.raise_compiler_error("var kol_attr__max_path_length = " ~ max_path_length ~ "; allowed: null (no cap) or an integer >= 1.") }}
    {%- endif -%}
    {%- if touch_signals is not none -%}
        {%- if touch_signals is string or touch_signals is mapping or touch_signals is not iterable or touch_signals | length == 0 -%}
            {{ exceptions.raise_compiler_error("var kol_attr__touch_signals = " ~ touch_signals ~ "; allowed: null (all) or a non-empty list of " ~ known_signals | join(', ') ~ ".") }}
        {%- endif -%}
        {%- for signal in touch_signals if signal not in known_signals -%}
            {{ exceptions.raise_compiler_error("var kol_attr__touch_signals: '" ~ signal ~ "' is not a touch_signal; allowed: " ~ known_signals | join(', ') ~ ".") }}
        {%- endfor -%}
    {%- endif -%}
    {{ return({
        'reset_path': reset_path,
        'dedup_minutes': dedup_minutes,
        'max_path_length': max_path_length,
        'touch_signals': touch_signals,
    }) }}
{% endmacro %}


{#- The touch_signal vocabulary of fct_touchpoints. -#}
{% macro attribution_touch_signals() %}
    {{ return(['note_interaction', 'utm_session', 'qr_scan', 'promo_code', 'passphrase', 'note_card', 'wechat_attach', 'ad_link']) }}
{% endmacro %}


{#-
    get_search_led_seconds(seconds): validate var kol_attr__search_led_seconds (a whole number of
    seconds >= 0) and return it. int_reads_search_led counts a read as search-led when a search click
    on the same note by the same person is at most this many seconds before it.
-#}
{% macro get_search_led_seconds(seconds) %}
    {%- if seconds is not integer or seconds is sameas true or seconds is sameas false or seconds < 0 -%}
        {{ exceptions.raise_compiler_error("var kol_attr__search_led_seconds = " ~ seconds ~ " is not allowed: a whole number of seconds >= 0 (how long after a search click on a note a read of it counts as reached through the search).") }}
    {%- endif -%}
    {{ return(seconds) }}
{% endmacro %}
