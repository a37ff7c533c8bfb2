{#-
    Daily figures from Pugongying's cumulative note report. Rule: the daily figure is
    today's cumulative value minus the running maximum of every earlier report of the
    note, floored at 0. A dip (platform de-duplication) therefore yields 0, and the
    later recovery up to the old maximum is not counted twice; a missing day folds
    into the next report (days_since_previous_report says how many days it covers).
-#}
{%- set metrics = [
    ('imp_num', 'impressions'),
    ('read_uv', 'reads'),
    ('like_num', 'likes'),
    ('fav_num', 'saves'),
    ('cmt_num', 'comments'),
    ('share_num', 'shares'),
    ('follow_num', 'follows'),
    ('imp_search', 'search_impressions'),
    ('read_search', 'search_reads'),
] %}

with

source as (select * from {{ kol_attr.raw_source('pgy_note_report_daily') }}),

deduplicated as (
    select distinct * from source
    where note_id is not null and report_date is not null
),

one_per_day as (
    {#- two different reports for one note and day: keep the larger counters (the later pull) -#}
    select
        {%- for raw, name in metrics %}
            max({{ raw }}) as cum_{{ name }},
        {%- endfor %}
        note_id,
        report_date
    from deduplicated
    group by note_id, report_date
),

with_previous as (
    select
        {%- for raw, name in metrics %}
            coalesce(
                max(one_per_day.cum_{{ name }}) over (
                    partition by one_per_day.note_id
                    order by one_per_day.report_date rows between unbounded preceding and 1 preceding
                ),
                0
            ) as prev_max_{{ name }},
        {%- endfor %}
        one_per_day.*,
        lag(one_per_day.report_date) over (
            partition by one_per_day.note_id order by one_per_day.report_date
        ) as previous_report_date
    from one_per_day
),

final as (
    select
        note_id,
        report_date,
        {%- for raw, name in metrics %}
            cast(cum_{{ name }} as bigint) as cum_{{ name }},
        {%- endfor %}
        {%- for raw, name in metrics %}
            cast(greatest(coalesce(cum_{{ name }}, 0) - prev_max_{{ name }}, 0) as bigint) as {{ name }},
        {%- endfor %}
        cast(
            {{ dbt.datediff('previous_report_date', 'report_date', 'day') }} as {{ dbt.type_int() }}  -- noqa: LT05
        ) as days_since_previous_report
    from with_previous
)

select * from final
