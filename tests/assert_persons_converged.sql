-- Person resolution must have converged: an identity edge may never join two
-- different person_ids. If it does, raise var kol_attr__identity_rounds.
with

persons as (select * from {{ ref('int_persons_resolved') }}),

edges as (select * from {{ ref('int_identity_edges') }}),

final as (
    select
        edges.from_key,
        edges.to_key,
        from_person.person_id as from_person_id,
        to_person.person_id as to_person_id
    from edges
    inner join persons as from_person on edges.from_key = from_person.identity_key
    inner join persons as to_person on edges.to_key = to_person.identity_key
    where from_person.person_id <> to_person.person_id
)

select * from final
