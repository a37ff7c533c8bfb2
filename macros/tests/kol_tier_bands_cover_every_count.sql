{#-
    kol_tier_bands_cover_every_count(model): the tier bands must tile [0, infinity) with no gap and
    no overlap, so every follower count gets exactly one tier. Fails with one row per problem.
-#}
{% test kol_tier_bands_cover_every_count(model) %}
with

bands as (select * from {{ model }}),

problems as (
    select 'no band starts at 0 followers' as problem
    where not exists (select 1 from bands where min_followers = 0)
    union all
    select 'not exactly one open-ended band (max_followers empty)' as problem
    where (select count(*) from bands where max_followers is null) <> 1
    union all
    select 'band ' || bands.tier || ' ends where no band starts (gap)' as problem
    from bands
    where
        bands.max_followers is not null
        and not exists (select 1 from bands as nxt where nxt.min_followers = bands.max_followers)
    union all
    select 'bands ' || a.tier || ' and ' || b.tier || ' overlap' as problem
    from bands as a
    inner join bands as b
        on
            a.tier < b.tier
            and a.min_followers < coalesce(b.max_followers, a.min_followers + 1)
            and b.min_followers < coalesce(a.max_followers, b.min_followers + 1)
)

select * from problems
{% endtest %}
