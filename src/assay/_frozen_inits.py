"""The ``__init__`` makers of assay's frozen classes, one per field layout.

Written by ``python -m assay.frozen_classes``: do not edit. See :mod:`assay.frozen_classes`.
"""

# ruff: noqa
# mypy: ignore-errors


def _init_cbd3b62a9dbb9ad1(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4):
    def __init__(self, *, applicability, provider=_frozen_1, proven_by=_frozen_2, proof_status=_frozen_3, complementary_controls=_frozen_4, justification):
        _frozen_set(self, 'applicability', applicability)
        _frozen_set(self, 'provider', provider)
        _frozen_set(self, 'proven_by', proven_by)
        _frozen_set(self, 'proof_status', proof_status)
        _frozen_set(self, 'complementary_controls', complementary_controls)
        _frozen_set(self, 'justification', justification)
    return __init__


def _init_a3195283fae49fa0(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, *, attested_by, attested_at, artefacts=_frozen_2):
        _frozen_set(self, 'attested_by', attested_by)
        _frozen_set(self, 'attested_at', attested_at)
        _frozen_set(self, 'artefacts', artefacts)
    return __init__


def _init_ab5721db93b9cd49(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, control, coverage, rationale):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'rationale', rationale)
    return __init__


def _init_30961910b09e37f8(_frozen_set, _FROZEN_FACTORY, _frozen_1):
    def __init__(self, *, control, resources=_frozen_1, justification, approver, ticket, expires):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'resources', resources)
        _frozen_set(self, 'justification', justification)
        _frozen_set(self, 'approver', approver)
        _frozen_set(self, 'ticket', ticket)
        _frozen_set(self, 'expires', expires)
    return __init__


def _init_62fcc992704c3ce0(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, control, status):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'status', status)
    return __init__


def _init_ec1e5c9071fa6e1d(_frozen_set, _FROZEN_FACTORY, _frozen_4, _frozen_5):
    def __init__(self, *, control, status, coverage, rationale, waiver=_frozen_4, attestation_only=_frozen_5):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'rationale', rationale)
        _frozen_set(self, 'waiver', waiver)
        _frozen_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_49cc9e0323358389(_frozen_set, _FROZEN_FACTORY, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11):
    def __init__(self, *, control, title, severity, domain, status, reason=_frozen_5, findings=_frozen_6, errors=_frozen_7, evidence=_frozen_8, waiver=_frozen_9, expired_waivers=_frozen_10, location=_frozen_11):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'title', title)
        _frozen_set(self, 'severity', severity)
        _frozen_set(self, 'domain', domain)
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'reason', reason)
        _frozen_set(self, 'findings', findings)
        _frozen_set(self, 'errors', errors)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'waiver', waiver)
        _frozen_set(self, 'expired_waivers', expired_waivers)
        _frozen_set(self, 'location', location)
    return __init__


def _init_cf485f388d55a43b(_frozen_set, _FROZEN_FACTORY, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11, _frozen_14, _frozen_15, _frozen_16, _frozen_17, _frozen_18):
    def __init__(self, *, control, title, severity, domain, status, reason=_frozen_5, findings=_frozen_6, errors=_frozen_7, evidence=_frozen_8, waiver=_frozen_9, expired_waivers=_frozen_10, location=_frozen_11, claim, remediation, file=_frozen_14, line=_frozen_15, mappings=_FROZEN_FACTORY, requirements=_frozen_17, attestation_only=_frozen_18):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'title', title)
        _frozen_set(self, 'severity', severity)
        _frozen_set(self, 'domain', domain)
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'reason', reason)
        _frozen_set(self, 'findings', findings)
        _frozen_set(self, 'errors', errors)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'waiver', waiver)
        _frozen_set(self, 'expired_waivers', expired_waivers)
        _frozen_set(self, 'location', location)
        _frozen_set(self, 'claim', claim)
        _frozen_set(self, 'remediation', remediation)
        _frozen_set(self, 'file', file)
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'mappings', _frozen_16() if mappings is _FROZEN_FACTORY else mappings)
        _frozen_set(self, 'requirements', requirements)
        _frozen_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_3aa0a3d23bd39ab9(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, control, waiver, days_left):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'waiver', waiver)
        _frozen_set(self, 'days_left', days_left)
    return __init__


def _init_3ee02f251211416a(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, coverage, rationale):
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'rationale', rationale)
    return __init__


def _init_df6c696702964b68(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1):
    def __init__(self, *, evidence=_FROZEN_FACTORY, snapshot_at=_frozen_1):
        _frozen_set(self, 'evidence', _frozen_0() if evidence is _FROZEN_FACTORY else evidence)
        _frozen_set(self, 'snapshot_at', snapshot_at)
    return __init__


def _init_dfd5d50d3ff09ebc(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, *, file, sha256, description=_frozen_2):
        _frozen_set(self, 'file', file)
        _frozen_set(self, 'sha256', sha256)
        _frozen_set(self, 'description', description)
    return __init__


def _init_04476700f4361f6c(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, *, framework, requirement, applicability, provider=_frozen_3, proven_by=_frozen_4, complementary_controls=_frozen_5, justification):
        _frozen_set(self, 'framework', framework)
        _frozen_set(self, 'requirement', requirement)
        _frozen_set(self, 'applicability', applicability)
        _frozen_set(self, 'provider', provider)
        _frozen_set(self, 'proven_by', proven_by)
        _frozen_set(self, 'complementary_controls', complementary_controls)
        _frozen_set(self, 'justification', justification)
        self.__post_init__()
    return __init__


def _init_285306183918f6a3(_frozen_set, _FROZEN_FACTORY, _frozen_5, _frozen_6):
    def __init__(self, *, framework, requirement, control, coverage, rationale, together=_frozen_5, together_with=_frozen_6):
        _frozen_set(self, 'framework', framework)
        _frozen_set(self, 'requirement', requirement)
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'rationale', rationale)
        _frozen_set(self, 'together', together)
        _frozen_set(self, 'together_with', together_with)
    return __init__


def _init_fee9652837bb0e53(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, *, framework, requirement, coverage, status=_frozen_3):
        _frozen_set(self, 'framework', framework)
        _frozen_set(self, 'requirement', requirement)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'status', status)
    return __init__


def _init_6381b0cb61e763ee(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, framework, requirements):
        _frozen_set(self, 'framework', framework)
        _frozen_set(self, 'requirements', requirements)
    return __init__


def _init_280d91011390dda0(_frozen_set, _FROZEN_FACTORY, _frozen_2, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, *, id, assert_, for_each=_frozen_2, resource_id=_frozen_3, message=_frozen_4, description=_frozen_5):
        _frozen_set(self, 'id', id)
        _frozen_set(self, 'assert_', assert_)
        _frozen_set(self, 'for_each', for_each)
        _frozen_set(self, 'resource_id', resource_id)
        _frozen_set(self, 'message', message)
        _frozen_set(self, 'description', description)
        self.__post_init__()
    return __init__


def _init_89b3814040cc7ced(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, *, id, label=_frozen_1, values=_frozen_2, choices=_frozen_3, how_many=_frozen_4, guidelines=_frozen_5):
        _frozen_set(self, 'id', id)
        _frozen_set(self, 'label', label)
        _frozen_set(self, 'values', values)
        _frozen_set(self, 'choices', choices)
        _frozen_set(self, 'how_many', how_many)
        _frozen_set(self, 'guidelines', guidelines)
    return __init__


def _init_fad79064a925163e(_frozen_set, _FROZEN_FACTORY, _frozen_7, _frozen_8, _frozen_10, _frozen_11, _frozen_12, _frozen_13, _frozen_14):
    def __init__(self, *, id, title, claim, description, severity, domain, evidence, check=_frozen_7, rules=_frozen_8, remediation, references=_frozen_10, parameters=_FROZEN_FACTORY, tests=_frozen_12, frequency=_frozen_13, tolerance=_frozen_14):
        _frozen_set(self, 'id', id)
        _frozen_set(self, 'title', title)
        _frozen_set(self, 'claim', claim)
        _frozen_set(self, 'description', description)
        _frozen_set(self, 'severity', severity)
        _frozen_set(self, 'domain', domain)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'check', check)
        _frozen_set(self, 'rules', rules)
        _frozen_set(self, 'remediation', remediation)
        _frozen_set(self, 'references', references)
        _frozen_set(self, 'parameters', _frozen_11() if parameters is _FROZEN_FACTORY else parameters)
        _frozen_set(self, 'tests', tests)
        _frozen_set(self, 'frequency', frequency)
        _frozen_set(self, 'tolerance', tolerance)
        self.__post_init__()
    return __init__


def _init_cdca8554c82b5dda(_frozen_set, _FROZEN_FACTORY, _frozen_2, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11):
    def __init__(self, *, id, title, description=_frozen_2, parent=_frozen_3, heading=_frozen_4, implementation=_frozen_5, superseded_after=_frozen_6, successor=_frozen_7, effective_from=_frozen_8, parameters=_frozen_9, parts=_frozen_10, withdrawn=_frozen_11):
        _frozen_set(self, 'id', id)
        _frozen_set(self, 'title', title)
        _frozen_set(self, 'description', description)
        _frozen_set(self, 'parent', parent)
        _frozen_set(self, 'heading', heading)
        _frozen_set(self, 'implementation', implementation)
        _frozen_set(self, 'superseded_after', superseded_after)
        _frozen_set(self, 'successor', successor)
        _frozen_set(self, 'effective_from', effective_from)
        _frozen_set(self, 'parameters', parameters)
        _frozen_set(self, 'parts', parts)
        _frozen_set(self, 'withdrawn', withdrawn)
        self.__post_init__()
    return __init__


def _init_8cc2637d26397b0e(_frozen_set, _FROZEN_FACTORY, _frozen_2, _frozen_3, _frozen_4, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11, _frozen_12, _frozen_13, _frozen_14, _frozen_15, _frozen_16, _frozen_17):
    def __init__(self, *, id, title, parent=_frozen_2, heading=_frozen_3, implementation=_frozen_4, status, coverage=_frozen_6, reason=_frozen_7, attestation_only=_frozen_8, together=_frozen_9, controls=_frozen_10, scope=_frozen_11, successor=_frozen_12, superseded_after=_frozen_13, effective_from=_frozen_14, withdrawn=_frozen_15, parameters=_frozen_16, parts=_frozen_17):
        _frozen_set(self, 'id', id)
        _frozen_set(self, 'title', title)
        _frozen_set(self, 'parent', parent)
        _frozen_set(self, 'heading', heading)
        _frozen_set(self, 'implementation', implementation)
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'reason', reason)
        _frozen_set(self, 'attestation_only', attestation_only)
        _frozen_set(self, 'together', together)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'scope', scope)
        _frozen_set(self, 'successor', successor)
        _frozen_set(self, 'superseded_after', superseded_after)
        _frozen_set(self, 'effective_from', effective_from)
        _frozen_set(self, 'withdrawn', withdrawn)
        _frozen_set(self, 'parameters', parameters)
        _frozen_set(self, 'parts', parts)
    return __init__


def _init_532839e09276b1fd(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, key, name, version, assessable, counts, share_met, requirements):
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'version', version)
        _frozen_set(self, 'assessable', assessable)
        _frozen_set(self, 'counts', counts)
        _frozen_set(self, 'share_met', share_met)
        _frozen_set(self, 'requirements', requirements)
    return __init__


def _init_7ce4ec8d0dcc213f(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, *, key, name, version, source=_frozen_3):
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'version', version)
        _frozen_set(self, 'source', source)
    return __init__


def _init_a06d1834a136cd9e(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, *, key, name, version, source=_frozen_3, requirements):
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'version', version)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'requirements', requirements)
    return __init__


def _init_d527c503dcb4177a(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_4, _frozen_5):
    def __init__(self, *, name, evidence=_FROZEN_FACTORY, now=_frozen_2, expect, failing=_frozen_4, parameters=_FROZEN_FACTORY):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'evidence', _frozen_1() if evidence is _FROZEN_FACTORY else evidence)
        _frozen_set(self, 'now', now)
        _frozen_set(self, 'expect', expect)
        _frozen_set(self, 'failing', failing)
        _frozen_set(self, 'parameters', _frozen_5() if parameters is _FROZEN_FACTORY else parameters)
    return __init__


def _init_4942f85d4c1f7d04(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3):
    def __init__(self, *, name, kind=_frozen_1, max_age=_frozen_2, description=_frozen_3):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'kind', kind)
        _frozen_set(self, 'max_age', max_age)
        _frozen_set(self, 'description', description)
    return __init__


def _init_5e76b63583a29077(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3):
    def __init__(self, *, name, label=_frozen_1, prose=_frozen_2, parts=_frozen_3):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'label', label)
        _frozen_set(self, 'prose', prose)
        _frozen_set(self, 'parts', parts)
    return __init__


def _init_cf29fcf820171fca(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8):
    def __init__(self, *, name, path=_frozen_1, source=_frozen_2, sha256=_frozen_3, collected_at=_frozen_4, as_of=_frozen_5, age_days=_frozen_6, used_by=_frozen_7, problem=_frozen_8):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'sha256', sha256)
        _frozen_set(self, 'collected_at', collected_at)
        _frozen_set(self, 'as_of', as_of)
        _frozen_set(self, 'age_days', age_days)
        _frozen_set(self, 'used_by', used_by)
        _frozen_set(self, 'problem', problem)
    return __init__


def _init_864c544c63a5672e(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, *, name, role):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'role', role)
    return __init__


def _init_41f09ba00ba0fe08(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5, _frozen_6):
    def __init__(self, *, name, sha256=_frozen_1, collected_at=_frozen_2, as_of=_frozen_3, source=_frozen_4, path=_frozen_5, problem=_frozen_6):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'sha256', sha256)
        _frozen_set(self, 'collected_at', collected_at)
        _frozen_set(self, 'as_of', as_of)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'problem', problem)
    return __init__


def _init_b7889a5f3ef1bbfb(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2, _frozen_3, _frozen_4):
    def __init__(self, *, name=_frozen_0, collected_at=_frozen_1, as_of=_frozen_2, source=_frozen_3, format=_frozen_4):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'collected_at', collected_at)
        _frozen_set(self, 'as_of', as_of)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'format', format)
    return __init__


def _init_40a6b9acc5d2d253(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, *, now, backend, results, scope=_frozen_3):
        _frozen_set(self, 'now', now)
        _frozen_set(self, 'backend', backend)
        _frozen_set(self, 'results', results)
        _frozen_set(self, 'scope', scope)
    return __init__


def _init_c7d36b2f342f7f50(_frozen_set, _FROZEN_FACTORY, _frozen_2, _frozen_3):
    def __init__(self, *, path, line, column=_frozen_2, end_column=_frozen_3):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'column', column)
        _frozen_set(self, 'end_column', end_column)
    return __init__


def _init_84be95125230d0df(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, *, requirement, controls, together=_frozen_2):
        _frozen_set(self, 'requirement', requirement)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'together', together)
        self.__post_init__()
    return __init__


def _init_c3dba6ba6939f771(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_3, _frozen_4):
    def __init__(self, *, rule, resource=_frozen_1, message, waived_by=_frozen_3, location=_frozen_4):
        _frozen_set(self, 'rule', rule)
        _frozen_set(self, 'resource', resource)
        _frozen_set(self, 'message', message)
        _frozen_set(self, 'waived_by', waived_by)
        _frozen_set(self, 'location', location)
    return __init__


def _init_01547f651d0fa983(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_8, _frozen_9, _frozen_10, _frozen_11):
    def __init__(self, *, schema_version=_frozen_0, assay_version, generated_at, backend, summary, frameworks, controls, evidence, waivers_expiring=_frozen_8, expired_waivers=_frozen_9, problems=_frozen_10, unused_evidence=_frozen_11):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'assay_version', assay_version)
        _frozen_set(self, 'generated_at', generated_at)
        _frozen_set(self, 'backend', backend)
        _frozen_set(self, 'summary', summary)
        _frozen_set(self, 'frameworks', frameworks)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'waivers_expiring', waivers_expiring)
        _frozen_set(self, 'expired_waivers', expired_waivers)
        _frozen_set(self, 'problems', problems)
        _frozen_set(self, 'unused_evidence', unused_evidence)
    return __init__


def _init_9c7dfa2472ef45ce(_frozen_set, _FROZEN_FACTORY, _frozen_0):
    def __init__(self, *, schema_version=_frozen_0, controls):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'controls', controls)
    return __init__


def _init_b0d60be1a00e6a59(_frozen_set, _FROZEN_FACTORY, _frozen_0):
    def __init__(self, *, schema_version=_frozen_0, framework, mappings):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'framework', framework)
        _frozen_set(self, 'mappings', mappings)
    return __init__


def _init_bbd8e32e394e0f18(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1):
    def __init__(self, *, schema_version=_frozen_0, parameters=_FROZEN_FACTORY):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'parameters', _frozen_1() if parameters is _FROZEN_FACTORY else parameters)
    return __init__


def _init_0dba50432f661d19(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1):
    def __init__(self, *, schema_version=_frozen_0, scope=_frozen_1):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'scope', scope)
    return __init__


def _init_2cc3d09c38489fe9(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1):
    def __init__(self, *, schema_version=_frozen_0, waivers=_frozen_1):
        _frozen_set(self, 'schema_version', schema_version)
        _frozen_set(self, 'waivers', waivers)
    return __init__


def _init_c6812cb3fc3830ab(_frozen_set, _FROZEN_FACTORY, _frozen_4):
    def __init__(self, *, ticket, approver, justification, expires, resources=_frozen_4):
        _frozen_set(self, 'ticket', ticket)
        _frozen_set(self, 'approver', approver)
        _frozen_set(self, 'justification', justification)
        _frozen_set(self, 'expires', expires)
        _frozen_set(self, 'resources', resources)
    return __init__


def _init_65c320ccee07162b(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, at, reason):
        _frozen_set(self, 'at', at)
        _frozen_set(self, 'reason', reason)
    return __init__


def _init_fa3b377af2c4d8e1(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, calls, references, fields=_frozen_2):
        _frozen_set(self, 'calls', calls)
        _frozen_set(self, 'references', references)
        _frozen_set(self, 'fields', fields)
    return __init__


def _init_53003d172b5bc1ca(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4):
    def __init__(self, catalog, errors, shown, invalid=_FROZEN_FACTORY, mappings=_FROZEN_FACTORY):
        _frozen_set(self, 'catalog', catalog)
        _frozen_set(self, 'errors', errors)
        _frozen_set(self, 'shown', shown)
        _frozen_set(self, 'invalid', _frozen_3() if invalid is _FROZEN_FACTORY else invalid)
        _frozen_set(self, 'mappings', _frozen_4() if mappings is _FROZEN_FACTORY else mappings)
    return __init__


def _init_acb4082648172c5a(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1):
    def __init__(self, color=_frozen_0, width=_frozen_1):
        _frozen_set(self, 'color', color)
        _frozen_set(self, 'width', width)
    return __init__


def _init_fe77517e4bd3e269(_frozen_set, _FROZEN_FACTORY, _frozen_5):
    def __init__(self, config, account, folder, shown, clock, controls=_frozen_5):
        _frozen_set(self, 'config', config)
        _frozen_set(self, 'account', account)
        _frozen_set(self, 'folder', folder)
        _frozen_set(self, 'shown', shown)
        _frozen_set(self, 'clock', clock)
        _frozen_set(self, 'controls', controls)
    return __init__


def _init_1f7568f3dc36e89f(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8):
    def __init__(self, config, catalog, evidence, waivers=_frozen_3, scope=_frozen_4, parameters=_FROZEN_FACTORY, evidence_root=_frozen_6, files=_FROZEN_FACTORY, evidence_shown=_frozen_8):
        _frozen_set(self, 'config', config)
        _frozen_set(self, 'catalog', catalog)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'waivers', waivers)
        _frozen_set(self, 'scope', scope)
        _frozen_set(self, 'parameters', _frozen_5() if parameters is _FROZEN_FACTORY else parameters)
        _frozen_set(self, 'evidence_root', evidence_root)
        _frozen_set(self, 'files', _frozen_7() if files is _FROZEN_FACTORY else files)
        _frozen_set(self, 'evidence_shown', evidence_shown)
    return __init__


def _init_2791d6f3c2faa860(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, config=_frozen_0, output=_frozen_1, frameworks=_frozen_2, domains=_frozen_3, show_percentages=_frozen_4, show_control_ids=_frozen_5):
        _frozen_set(self, 'config', config)
        _frozen_set(self, 'output', output)
        _frozen_set(self, 'frameworks', frameworks)
        _frozen_set(self, 'domains', domains)
        _frozen_set(self, 'show_percentages', show_percentages)
        _frozen_set(self, 'show_control_ids', show_control_ids)
    return __init__


def _init_0e8d167c5d724df5(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, control, case, result, problems):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'case', case)
        _frozen_set(self, 'result', result)
        _frozen_set(self, 'problems', problems)
    return __init__


def _init_393e3cfc1c03b843(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, control, status, coverage, attestation_only=_frozen_3):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_f6be844347d08e2c(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, control, test, outcome, message=_frozen_3):
        _frozen_set(self, 'control', control)
        _frozen_set(self, 'test', test)
        _frozen_set(self, 'outcome', outcome)
        _frozen_set(self, 'message', message)
    return __init__


def _init_65b1ba22ca7406a3(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9):
    def __init__(self, controls, frameworks, mappings, control_sources=_FROZEN_FACTORY, requirement_sources=_FROZEN_FACTORY, files=_frozen_5, evidence_schemas=_FROZEN_FACTORY, schema_controls=_FROZEN_FACTORY, builtin_controls=_frozen_8, all_builtin_ids=_frozen_9):
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'frameworks', frameworks)
        _frozen_set(self, 'mappings', mappings)
        _frozen_set(self, 'control_sources', _frozen_3() if control_sources is _FROZEN_FACTORY else control_sources)
        _frozen_set(self, 'requirement_sources', _frozen_4() if requirement_sources is _FROZEN_FACTORY else requirement_sources)
        _frozen_set(self, 'files', files)
        _frozen_set(self, 'evidence_schemas', _frozen_6() if evidence_schemas is _FROZEN_FACTORY else evidence_schemas)
        _frozen_set(self, 'schema_controls', _frozen_7() if schema_controls is _FROZEN_FACTORY else schema_controls)
        _frozen_set(self, 'builtin_controls', builtin_controls)
        _frozen_set(self, 'all_builtin_ids', all_builtin_ids)
    return __init__


def _init_cc248cbbaa5b6eff(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, convert, default, doc):
        _frozen_set(self, 'convert', convert)
        _frozen_set(self, 'default', default)
        _frozen_set(self, 'doc', doc)
    return __init__


def _init_8e38df1762f9f03b(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, data, manifest):
        _frozen_set(self, 'data', data)
        _frozen_set(self, 'manifest', manifest)
    return __init__


def _init_53b01b5fd76db10c(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2):
    def __init__(self, data, pruned=_frozen_1, sightings=_frozen_2):
        _frozen_set(self, 'data', data)
        _frozen_set(self, 'pruned', pruned)
        _frozen_set(self, 'sightings', sightings)
    return __init__


def _init_447ef3c0271850ef(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, data, redactions):
        _frozen_set(self, 'data', data)
        _frozen_set(self, 'redactions', redactions)
    return __init__


def _init_7b4cb841bfe8f5a2(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, device, inode, size, modified_ns):
        _frozen_set(self, 'device', device)
        _frozen_set(self, 'inode', inode)
        _frozen_set(self, 'size', size)
        _frozen_set(self, 'modified_ns', modified_ns)
    return __init__


def _init_c8843d0260016eb6(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, directory, key, _bundle=_FROZEN_FACTORY):
        _frozen_set(self, 'directory', directory)
        _frozen_set(self, 'key', key)
        _frozen_set(self, '_bundle', _frozen_2() if _bundle is _FROZEN_FACTORY else _bundle)
    return __init__


def _init_bf6d6c9413e0a8bc(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, document, path, label):
        _frozen_set(self, 'document', document)
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'label', label)
    return __init__


def _init_607b80f192e0730e(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, entries, unreadable, problems):
        _frozen_set(self, 'entries', entries)
        _frozen_set(self, 'unreadable', unreadable)
        _frozen_set(self, 'problems', problems)
    return __init__


def _init_7e38f5b0c17821bd(_frozen_set, _FROZEN_FACTORY, _frozen_1):
    def __init__(self, entry, statuses=_FROZEN_FACTORY):
        _frozen_set(self, 'entry', entry)
        _frozen_set(self, 'statuses', _frozen_1() if statuses is _FROZEN_FACTORY else statuses)
    return __init__


def _init_c78fc489513ec5b7(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, evidence, sources, inputs):
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'sources', sources)
        _frozen_set(self, 'inputs', inputs)
    return __init__


def _init_339f544cf9e11a9a(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, fast, exact, budgeted):
        _frozen_set(self, 'fast', fast)
        _frozen_set(self, 'exact', exact)
        _frozen_set(self, 'budgeted', budgeted)
    return __init__


def _init_51f5797041510419(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, file, kind, path):
        _frozen_set(self, 'file', file)
        _frozen_set(self, 'kind', kind)
        _frozen_set(self, 'path', path)
    return __init__


def _init_b2ef646908d0cd25(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2):
    def __init__(self, functions=_FROZEN_FACTORY, variables=_FROZEN_FACTORY, fields=_FROZEN_FACTORY):
        _frozen_set(self, 'functions', _frozen_0() if functions is _FROZEN_FACTORY else functions)
        _frozen_set(self, 'variables', _frozen_1() if variables is _FROZEN_FACTORY else variables)
        _frozen_set(self, 'fields', _frozen_2() if fields is _FROZEN_FACTORY else fields)
    return __init__


def _init_10d1b88d9c777287(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, info, requirements, document):
        _frozen_set(self, 'info', info)
        _frozen_set(self, 'requirements', requirements)
        _frozen_set(self, 'document', document)
    return __init__


def _init_949eb4e202c78d37(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, item, relative, data):
        _frozen_set(self, 'item', item)
        _frozen_set(self, 'relative', relative)
        _frozen_set(self, 'data', data)
    return __init__


def _init_13b98f71415309bd(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, key, entries, document, builtin=_frozen_3):
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'entries', entries)
        _frozen_set(self, 'document', document)
        _frozen_set(self, 'builtin', builtin)
    return __init__


def _init_ad9d567647433b09(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, key, name):
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'name', name)
    return __init__


def _init_a61a3f400a99f825(_frozen_set, _FROZEN_FACTORY, _frozen_0):
    def __init__(self, key=_frozen_0):
        _frozen_set(self, 'key', key)
    return __init__


def _init_ab2e92feca6145d3(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3):
    def __init__(self, kind, detail=_frozen_1, line=_frozen_2, column=_frozen_3):
        _frozen_set(self, 'kind', kind)
        _frozen_set(self, 'detail', detail)
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'column', column)
    return __init__


def _init_8764950c91466ab8(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, line, column):
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'column', column)
    return __init__


def _init_574204cc15d4d5f2(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, line, severity, message):
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'severity', severity)
        _frozen_set(self, 'message', message)
    return __init__


def _init_2c1b5acc2c767103(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2):
    def __init__(self, max_bytes=_frozen_0, max_depth=_frozen_1, max_nodes=_frozen_2):
        _frozen_set(self, 'max_bytes', max_bytes)
        _frozen_set(self, 'max_depth', max_depth)
        _frozen_set(self, 'max_nodes', max_nodes)
    return __init__


def _init_439af17c28c866d8(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2, _frozen_3, _frozen_4):
    def __init__(self, max_entries=_frozen_0, max_entry_bytes=_frozen_1, max_total_bytes=_frozen_2, max_ratio=_frozen_3, ratio_floor=_frozen_4):
        _frozen_set(self, 'max_entries', max_entries)
        _frozen_set(self, 'max_entry_bytes', max_entry_bytes)
        _frozen_set(self, 'max_total_bytes', max_total_bytes)
        _frozen_set(self, 'max_ratio', max_ratio)
        _frozen_set(self, 'ratio_floor', ratio_floor)
    return __init__


def _init_120970d812836f19(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, module):
        _frozen_set(self, 'module', module)
    return __init__


def _init_dfb3f58af37fa2bd(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10):
    def __init__(self, name, data, sha256, collected_at=_frozen_3, as_of=_frozen_4, source=_frozen_5, path=_frozen_6, format=_frozen_7, pruned=_frozen_8, sightings=_frozen_9, size=_frozen_10):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'data', data)
        _frozen_set(self, 'sha256', sha256)
        _frozen_set(self, 'collected_at', collected_at)
        _frozen_set(self, 'as_of', as_of)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'format', format)
        _frozen_set(self, 'pruned', pruned)
        _frozen_set(self, 'sightings', sightings)
        _frozen_set(self, 'size', size)
        self.__post_init__()
    return __init__


def _init_dfd6e7a007fef593(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, name, diagnostic):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'diagnostic', diagnostic)
    return __init__


def _init_0817ff43ffab2f97(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, name, extension, render, description=_frozen_3, media_type=_frozen_4, takes_options=_frozen_5):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'extension', extension)
        _frozen_set(self, 'render', render)
        _frozen_set(self, 'description', description)
        _frozen_set(self, 'media_type', media_type)
        _frozen_set(self, 'takes_options', takes_options)
    return __init__


def _init_21ba4623efaca752(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5):
    def __init__(self, name, file, sha256, collected_at=_frozen_3, source=_frozen_4, redactions=_frozen_5):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'file', file)
        _frozen_set(self, 'sha256', sha256)
        _frozen_set(self, 'collected_at', collected_at)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'redactions', redactions)
    return __init__


def _init_7a0d55dd6cb9fce6(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, name, flags, method, crc, compressed_size, size, mode, data_offset):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'flags', flags)
        _frozen_set(self, 'method', method)
        _frozen_set(self, 'crc', crc)
        _frozen_set(self, 'compressed_size', compressed_size)
        _frozen_set(self, 'size', size)
        _frozen_set(self, 'mode', mode)
        _frozen_set(self, 'data_offset', data_offset)
    return __init__


def _init_73d9627ecc3a2ffd(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, name, folder, refused=_frozen_2):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'folder', folder)
        _frozen_set(self, 'refused', refused)
    return __init__


def _init_08dd04131e2b5163(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, name, implementation, signature, doc):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'implementation', implementation)
        _frozen_set(self, 'signature', signature)
        _frozen_set(self, 'doc', doc)
    return __init__


def _init_8661cf67f4508686(_frozen_set, _FROZEN_FACTORY, _frozen_5):
    def __init__(self, name, library, implementation, signatures, doc, costed=_frozen_5):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'library', library)
        _frozen_set(self, 'implementation', implementation)
        _frozen_set(self, 'signatures', signatures)
        _frozen_set(self, 'doc', doc)
        _frozen_set(self, 'costed', costed)
    return __init__


def _init_7e18de15d8fe2c06(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, name, library, signatures, doc):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'library', library)
        _frozen_set(self, 'signatures', signatures)
        _frozen_set(self, 'doc', doc)
    return __init__


def _init_67581b68f8ebb87c(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4):
    def __init__(self, name, named_by, failed, key=_frozen_3, region_field=_frozen_4):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'named_by', named_by)
        _frozen_set(self, 'failed', failed)
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'region_field', region_field)
    return __init__


def _init_270b283dcbd6b270(_frozen_set, _FROZEN_FACTORY, _frozen_5):
    def __init__(self, name, url, host, port, path, secrets=_frozen_5):
        _frozen_set(self, 'name', name)
        _frozen_set(self, 'url', url)
        _frozen_set(self, 'host', host)
        _frozen_set(self, 'port', port)
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'secrets', secrets)
    return __init__


def _init_774215339c677156(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, names, line, column):
        _frozen_set(self, 'names', names)
        _frozen_set(self, 'line', line)
        _frozen_set(self, 'column', column)
    return __init__


def _init_b12bb6e57729eab4(_frozen_set, _FROZEN_FACTORY, _frozen_1):
    def __init__(self, order, children=_FROZEN_FACTORY):
        _frozen_set(self, 'order', order)
        _frozen_set(self, 'children', _frozen_1() if children is _FROZEN_FACTORY else children)
    return __init__


def _init_dea736676c9e9705(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, out, err):
        _frozen_set(self, 'out', out)
        _frozen_set(self, 'err', err)
    return __init__


def _init_94b184a672158507(_frozen_set, _FROZEN_FACTORY, _frozen_1):
    def __init__(self, package, entry_point=_frozen_1):
        _frozen_set(self, 'package', package)
        _frozen_set(self, 'entry_point', entry_point)
    return __init__


def _init_e85cedf5d0d508c2(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, path, kind, data):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'kind', kind)
        _frozen_set(self, 'data', data)
    return __init__


def _init_100e5f4ee63fe86b(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, path, reason):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'reason', reason)
    return __init__


def _init_01caaca75bf88b38(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, path, role, size, used):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'role', role)
        _frozen_set(self, 'size', size)
        _frozen_set(self, 'used', used)
    return __init__


def _init_65e26bef90dea0d5(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11, _frozen_12, _frozen_13, _frozen_14):
    def __init__(self, path, service, call, source=_frozen_3, args=_FROZEN_FACTORY, keys=_frozen_5, scope=_frozen_6, each=_frozen_7, item_args=_FROZEN_FACTORY, batch=_frozen_9, absent=_frozen_10, absent_as=_frozen_11, remember=_frozen_12, produce=_frozen_13, text=_frozen_14):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'service', service)
        _frozen_set(self, 'call', call)
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'args', _frozen_4() if args is _FROZEN_FACTORY else args)
        _frozen_set(self, 'keys', keys)
        _frozen_set(self, 'scope', scope)
        _frozen_set(self, 'each', each)
        _frozen_set(self, 'item_args', _frozen_8() if item_args is _FROZEN_FACTORY else item_args)
        _frozen_set(self, 'batch', batch)
        _frozen_set(self, 'absent', absent)
        _frozen_set(self, 'absent_as', absent_as)
        _frozen_set(self, 'remember', remember)
        _frozen_set(self, 'produce', produce)
        _frozen_set(self, 'text', text)
    return __init__


def _init_d273889d05a440b9(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, path, source):
        _frozen_set(self, 'path', path)
        _frozen_set(self, 'source', source)
    return __init__


def _init_b8a02dcf7fbfcc83(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, position, style):
        _frozen_set(self, 'position', position)
        _frozen_set(self, 'style', style)
    return __init__


def _init_d6f055d657a8a95e(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, present, pool):
        _frozen_set(self, 'present', present)
        _frozen_set(self, 'pool', pool)
    return __init__


def _init_2ed859344fb45586(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2):
    def __init__(self, problem=_frozen_0, note=_frozen_1, signer=_frozen_2):
        _frozen_set(self, 'problem', problem)
        _frozen_set(self, 'note', note)
        _frozen_set(self, 'signer', signer)
    return __init__


def _init_0cdc8665e0595b7e(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4):
    def __init__(self, problems, notes=_frozen_1, files=_frozen_2, refused=_frozen_3, signer=_frozen_4):
        _frozen_set(self, 'problems', problems)
        _frozen_set(self, 'notes', notes)
        _frozen_set(self, 'files', files)
        _frozen_set(self, 'refused', refused)
        _frozen_set(self, 'signer', signer)
    return __init__


def _init_41fc4a1bad0251fd(_frozen_set, _FROZEN_FACTORY, _frozen_3, _frozen_4):
    def __init__(self, project, run, report, notices=_frozen_3, run_id=_frozen_4):
        _frozen_set(self, 'project', project)
        _frozen_set(self, 'run', run)
        _frozen_set(self, 'report', report)
        _frozen_set(self, 'notices', notices)
        _frozen_set(self, 'run_id', run_id)
    return __init__


def _init_12d45a256bbae3c6(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, raw, fmt, shown, limits):
        _frozen_set(self, 'raw', raw)
        _frozen_set(self, 'fmt', fmt)
        _frozen_set(self, 'shown', shown)
        _frozen_set(self, 'limits', limits)
    return __init__


def _init_8b56c4242124b803(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, raw_name, flags, method, crc, compressed_size, size, external, offset):
        _frozen_set(self, 'raw_name', raw_name)
        _frozen_set(self, 'flags', flags)
        _frozen_set(self, 'method', method)
        _frozen_set(self, 'crc', crc)
        _frozen_set(self, 'compressed_size', compressed_size)
        _frozen_set(self, 'size', size)
        _frozen_set(self, 'external', external)
        _frozen_set(self, 'offset', offset)
    return __init__


def _init_18b8929f585cbceb(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5, _frozen_6):
    def __init__(self, reads, schemas=_FROZEN_FACTORY, above_bytes=_frozen_2, max_depth=_frozen_3, watched=_frozen_4, resources=_frozen_5, pool_limit=_frozen_6):
        _frozen_set(self, 'reads', reads)
        _frozen_set(self, 'schemas', _frozen_1() if schemas is _FROZEN_FACTORY else schemas)
        _frozen_set(self, 'above_bytes', above_bytes)
        _frozen_set(self, 'max_depth', max_depth)
        _frozen_set(self, 'watched', watched)
        _frozen_set(self, 'resources', resources)
        _frozen_set(self, 'pool_limit', pool_limit)
    return __init__


def _init_8fcfccf675b1f0bf(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, reason):
        _frozen_set(self, 'reason', reason)
    return __init__


def _init_8713cff0ef5976ac(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3):
    def __init__(self, reports, evidence=_FROZEN_FACTORY, sources=_frozen_2, key_id=_frozen_3):
        _frozen_set(self, 'reports', reports)
        _frozen_set(self, 'evidence', _frozen_1() if evidence is _FROZEN_FACTORY else evidence)
        _frozen_set(self, 'sources', sources)
        _frozen_set(self, 'key_id', key_id)
    return __init__


def _init_01b534a1e835be68(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2, _frozen_3, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8, _frozen_9, _frozen_10, _frozen_11, _frozen_12, _frozen_13, _frozen_14, _frozen_15, _frozen_16, _frozen_17, _frozen_18, _frozen_19, _frozen_20, _frozen_21, _frozen_22, _frozen_23, _frozen_24, _frozen_25, _frozen_26, _frozen_27):
    def __init__(self, root=_FROZEN_FACTORY, config_file=_frozen_1, controls=_frozen_2, builtin_controls=_frozen_3, mappings=_frozen_4, catalogs=_frozen_5, evidence=_frozen_6, waivers=_frozen_7, scope=_frozen_8, parameters=_frozen_9, now=_frozen_10, frameworks=_frozen_11, fail_on=_frozen_12, max_evidence_mb=_frozen_13, backend=_frozen_14, cel_max_steps=_frozen_15, cel_max_memory=_frozen_16, cel_max_ms=_frozen_17, require_system_evidence=_frozen_18, trusted_keys=_frozen_19, skip_invalid=_frozen_20, max_waiver_days=_frozen_21, record=_frozen_22, record_evidence=_frozen_23, store=_frozen_24, jobs=_frozen_25, trust=_FROZEN_FACTORY, origins=_FROZEN_FACTORY):
        _frozen_set(self, 'root', _frozen_0() if root is _FROZEN_FACTORY else root)
        _frozen_set(self, 'config_file', config_file)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'builtin_controls', builtin_controls)
        _frozen_set(self, 'mappings', mappings)
        _frozen_set(self, 'catalogs', catalogs)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'waivers', waivers)
        _frozen_set(self, 'scope', scope)
        _frozen_set(self, 'parameters', parameters)
        _frozen_set(self, 'now', now)
        _frozen_set(self, 'frameworks', frameworks)
        _frozen_set(self, 'fail_on', fail_on)
        _frozen_set(self, 'max_evidence_mb', max_evidence_mb)
        _frozen_set(self, 'backend', backend)
        _frozen_set(self, 'cel_max_steps', cel_max_steps)
        _frozen_set(self, 'cel_max_memory', cel_max_memory)
        _frozen_set(self, 'cel_max_ms', cel_max_ms)
        _frozen_set(self, 'require_system_evidence', require_system_evidence)
        _frozen_set(self, 'trusted_keys', trusted_keys)
        _frozen_set(self, 'skip_invalid', skip_invalid)
        _frozen_set(self, 'max_waiver_days', max_waiver_days)
        _frozen_set(self, 'record', record)
        _frozen_set(self, 'record_evidence', record_evidence)
        _frozen_set(self, 'store', store)
        _frozen_set(self, 'jobs', jobs)
        _frozen_set(self, 'trust', _frozen_26() if trust is _FROZEN_FACTORY else trust)
        _frozen_set(self, 'origins', _frozen_27() if origins is _FROZEN_FACTORY else origins)
    return __init__


def _init_bbd4e4af15ca9bf0(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, root, controls, frameworks, mappings, evidence, example):
        _frozen_set(self, 'root', root)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'frameworks', frameworks)
        _frozen_set(self, 'mappings', mappings)
        _frozen_set(self, 'evidence', evidence)
        _frozen_set(self, 'example', example)
    return __init__


def _init_2c41f906d7f3c12e(_frozen_set, _FROZEN_FACTORY, _frozen_2):
    def __init__(self, rule, programs, error=_frozen_2):
        _frozen_set(self, 'rule', rule)
        _frozen_set(self, 'programs', programs)
        _frozen_set(self, 'error', error)
    return __init__


def _init_5a4e2aefb47e0ef0(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, run, controls, requirements, evidence):
        _frozen_set(self, 'run', run)
        _frozen_set(self, 'controls', controls)
        _frozen_set(self, 'requirements', requirements)
        _frozen_set(self, 'evidence', evidence)
    return __init__


def _init_19b30e3bdb78acc6(_frozen_set, _FROZEN_FACTORY, _frozen_4, _frozen_5, _frozen_6, _frozen_7, _frozen_8):
    def __init__(self, service, call, key, named_by, args=_FROZEN_FACTORY, inner=_frozen_5, within=_frozen_6, item_args=_FROZEN_FACTORY, by_marker=_frozen_8):
        _frozen_set(self, 'service', service)
        _frozen_set(self, 'call', call)
        _frozen_set(self, 'key', key)
        _frozen_set(self, 'named_by', named_by)
        _frozen_set(self, 'args', _frozen_4() if args is _FROZEN_FACTORY else args)
        _frozen_set(self, 'inner', inner)
        _frozen_set(self, 'within', within)
        _frozen_set(self, 'item_args', _frozen_7() if item_args is _FROZEN_FACTORY else item_args)
        _frozen_set(self, 'by_marker', by_marker)
    return __init__


def _init_4cc14b7a3a232389(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, source, constants, code):
        _frozen_set(self, 'source', source)
        _frozen_set(self, 'constants', constants)
        _frozen_set(self, 'code', code)
    return __init__


def _init_c8346a7b22a95d41(_frozen_set, _FROZEN_FACTORY, _frozen_3):
    def __init__(self, start, end, reason, replacement=_frozen_3):
        _frozen_set(self, 'start', start)
        _frozen_set(self, 'end', end)
        _frozen_set(self, 'reason', reason)
        _frozen_set(self, 'replacement', replacement)
    return __init__


def _init_119c516970cf5e44(_frozen_set, _FROZEN_FACTORY, _frozen_1, _frozen_2, _frozen_3):
    def __init__(self, status, coverage=_frozen_1, reason=_frozen_2, attestation_only=_frozen_3):
        _frozen_set(self, 'status', status)
        _frozen_set(self, 'coverage', coverage)
        _frozen_set(self, 'reason', reason)
        _frozen_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_7701ebf303e79d39(_frozen_set, _FROZEN_FACTORY, _frozen_0, _frozen_1, _frozen_2):
    def __init__(self, steps=_frozen_0, memory=_frozen_1, milliseconds=_frozen_2):
        _frozen_set(self, 'steps', steps)
        _frozen_set(self, 'memory', memory)
        _frozen_set(self, 'milliseconds', milliseconds)
        self.__post_init__()
    return __init__


def _init_464d8e7f67c8f699(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, value, source):
        _frozen_set(self, 'value', value)
        _frozen_set(self, 'source', source)
    return __init__


def _init_467db290829f7b86(_frozen_set, _FROZEN_FACTORY):
    def __init__(self, whole, reached):
        _frozen_set(self, 'whole', whole)
        _frozen_set(self, 'reached', reached)
    return __init__


MAKERS = {
    '@applicability,@provider=,@proven_by=,@proof_status=,@complementary_controls=,@justification': _init_cbd3b62a9dbb9ad1,
    '@attested_by,@attested_at,@artefacts=': _init_a3195283fae49fa0,
    '@control,@coverage,@rationale': _init_ab5721db93b9cd49,
    '@control,@resources=,@justification,@approver,@ticket,@expires': _init_30961910b09e37f8,
    '@control,@status': _init_62fcc992704c3ce0,
    '@control,@status,@coverage,@rationale,@waiver=,@attestation_only=': _init_ec1e5c9071fa6e1d,
    '@control,@title,@severity,@domain,@status,@reason=,@findings=,@errors=,@evidence=,@waiver=,@expired_waivers=,@location=': _init_49cc9e0323358389,
    '@control,@title,@severity,@domain,@status,@reason=,@findings=,@errors=,@evidence=,@waiver=,@expired_waivers=,@location=,@claim,@remediation,@file=,@line=,@mappings*,@requirements=,@attestation_only=': _init_cf485f388d55a43b,
    '@control,@waiver,@days_left': _init_3aa0a3d23bd39ab9,
    '@coverage,@rationale': _init_3ee02f251211416a,
    '@evidence*,@snapshot_at=': _init_df6c696702964b68,
    '@file,@sha256,@description=': _init_dfd5d50d3ff09ebc,
    '@framework,@requirement,@applicability,@provider=,@proven_by=,@complementary_controls=,@justification|post': _init_04476700f4361f6c,
    '@framework,@requirement,@control,@coverage,@rationale,@together=,@together_with=': _init_285306183918f6a3,
    '@framework,@requirement,@coverage,@status=': _init_fee9652837bb0e53,
    '@framework,@requirements': _init_6381b0cb61e763ee,
    '@id,@assert_,@for_each=,@resource_id=,@message=,@description=|post': _init_280d91011390dda0,
    '@id,@label=,@values=,@choices=,@how_many=,@guidelines=': _init_89b3814040cc7ced,
    '@id,@title,@claim,@description,@severity,@domain,@evidence,@check=,@rules=,@remediation,@references=,@parameters*,@tests=,@frequency=,@tolerance=|post': _init_fad79064a925163e,
    '@id,@title,@description=,@parent=,@heading=,@implementation=,@superseded_after=,@successor=,@effective_from=,@parameters=,@parts=,@withdrawn=|post': _init_cdca8554c82b5dda,
    '@id,@title,@parent=,@heading=,@implementation=,@status,@coverage=,@reason=,@attestation_only=,@together=,@controls=,@scope=,@successor=,@superseded_after=,@effective_from=,@withdrawn=,@parameters=,@parts=': _init_8cc2637d26397b0e,
    '@key,@name,@version,@assessable,@counts,@share_met,@requirements': _init_532839e09276b1fd,
    '@key,@name,@version,@source=': _init_7ce4ec8d0dcc213f,
    '@key,@name,@version,@source=,@requirements': _init_a06d1834a136cd9e,
    '@name,@evidence*,@now=,@expect,@failing=,@parameters*': _init_d527c503dcb4177a,
    '@name,@kind=,@max_age=,@description=': _init_4942f85d4c1f7d04,
    '@name,@label=,@prose=,@parts=': _init_5e76b63583a29077,
    '@name,@path=,@source=,@sha256=,@collected_at=,@as_of=,@age_days=,@used_by=,@problem=': _init_cf29fcf820171fca,
    '@name,@role': _init_864c544c63a5672e,
    '@name,@sha256=,@collected_at=,@as_of=,@source=,@path=,@problem=': _init_41f09ba00ba0fe08,
    '@name=,@collected_at=,@as_of=,@source=,@format=': _init_b7889a5f3ef1bbfb,
    '@now,@backend,@results,@scope=': _init_40a6b9acc5d2d253,
    '@path,@line,@column=,@end_column=': _init_c7d36b2f342f7f50,
    '@requirement,@controls,@together=|post': _init_84be95125230d0df,
    '@rule,@resource=,@message,@waived_by=,@location=': _init_c3dba6ba6939f771,
    '@schema_version=,@assay_version,@generated_at,@backend,@summary,@frameworks,@controls,@evidence,@waivers_expiring=,@expired_waivers=,@problems=,@unused_evidence=': _init_01547f651d0fa983,
    '@schema_version=,@controls': _init_9c7dfa2472ef45ce,
    '@schema_version=,@framework,@mappings': _init_b0d60be1a00e6a59,
    '@schema_version=,@parameters*': _init_bbd8e32e394e0f18,
    '@schema_version=,@scope=': _init_0dba50432f661d19,
    '@schema_version=,@waivers=': _init_2cc3d09c38489fe9,
    '@ticket,@approver,@justification,@expires,@resources=': _init_c6812cb3fc3830ab,
    'at,reason': _init_65c320ccee07162b,
    'calls,references,fields=': _init_fa3b377af2c4d8e1,
    'catalog,errors,shown,invalid*,mappings*': _init_53003d172b5bc1ca,
    'color=,width=': _init_acb4082648172c5a,
    'config,account,folder,shown,clock,controls=': _init_fe77517e4bd3e269,
    'config,catalog,evidence,waivers=,scope=,parameters*,evidence_root=,files*,evidence_shown=': _init_1f7568f3dc36e89f,
    'config=,output=,frameworks=,domains=,show_percentages=,show_control_ids=': _init_2791d6f3c2faa860,
    'control,case,result,problems': _init_0e8d167c5d724df5,
    'control,status,coverage,attestation_only=': _init_393e3cfc1c03b843,
    'control,test,outcome,message=': _init_f6be844347d08e2c,
    'controls,frameworks,mappings,control_sources*,requirement_sources*,files=,evidence_schemas*,schema_controls*,builtin_controls=,all_builtin_ids=': _init_65b1ba22ca7406a3,
    'convert,default,doc': _init_cc248cbbaa5b6eff,
    'data,manifest': _init_8e38df1762f9f03b,
    'data,pruned=,sightings=': _init_53b01b5fd76db10c,
    'data,redactions': _init_447ef3c0271850ef,
    'device,inode,size,modified_ns': _init_7b4cb841bfe8f5a2,
    'directory,key,_bundle*': _init_c8843d0260016eb6,
    'document,path,label': _init_bf6d6c9413e0a8bc,
    'entries,unreadable,problems': _init_607b80f192e0730e,
    'entry,statuses*': _init_7e38f5b0c17821bd,
    'evidence,sources,inputs': _init_c78fc489513ec5b7,
    'fast,exact,budgeted': _init_339f544cf9e11a9a,
    'file,kind,path': _init_51f5797041510419,
    'functions*,variables*,fields*': _init_b2ef646908d0cd25,
    'info,requirements,document': _init_10d1b88d9c777287,
    'item,relative,data': _init_949eb4e202c78d37,
    'key,entries,document,builtin=': _init_13b98f71415309bd,
    'key,name': _init_ad9d567647433b09,
    'key=': _init_a61a3f400a99f825,
    'kind,detail=,line=,column=': _init_ab2e92feca6145d3,
    'line,column': _init_8764950c91466ab8,
    'line,severity,message': _init_574204cc15d4d5f2,
    'max_bytes=,max_depth=,max_nodes=': _init_2c1b5acc2c767103,
    'max_entries=,max_entry_bytes=,max_total_bytes=,max_ratio=,ratio_floor=': _init_439af17c28c866d8,
    'module': _init_120970d812836f19,
    'name,data,sha256,collected_at=,as_of=,source=,path=,format=,pruned=,sightings=,size=|post': _init_dfb3f58af37fa2bd,
    'name,diagnostic': _init_dfd6e7a007fef593,
    'name,extension,render,description=,media_type=,takes_options=': _init_0817ff43ffab2f97,
    'name,file,sha256,collected_at=,source=,redactions=': _init_21ba4623efaca752,
    'name,flags,method,crc,compressed_size,size,mode,data_offset': _init_7a0d55dd6cb9fce6,
    'name,folder,refused=': _init_73d9627ecc3a2ffd,
    'name,implementation,signature,doc': _init_08dd04131e2b5163,
    'name,library,implementation,signatures,doc,costed=': _init_8661cf67f4508686,
    'name,library,signatures,doc': _init_7e18de15d8fe2c06,
    'name,named_by,failed,key=,region_field=': _init_67581b68f8ebb87c,
    'name,url,host,port,path,secrets=': _init_270b283dcbd6b270,
    'names,line,column': _init_774215339c677156,
    'order,children*': _init_b12bb6e57729eab4,
    'out,err': _init_dea736676c9e9705,
    'package,entry_point=': _init_94b184a672158507,
    'path,kind,data': _init_e85cedf5d0d508c2,
    'path,reason': _init_100e5f4ee63fe86b,
    'path,role,size,used': _init_01caaca75bf88b38,
    'path,service,call,source=,args*,keys=,scope=,each=,item_args*,batch=,absent=,absent_as=,remember=,produce=,text=': _init_65e26bef90dea0d5,
    'path,source': _init_d273889d05a440b9,
    'position,style': _init_b8a02dcf7fbfcc83,
    'present,pool': _init_d6f055d657a8a95e,
    'problem=,note=,signer=': _init_2ed859344fb45586,
    'problems,notes=,files=,refused=,signer=': _init_0cdc8665e0595b7e,
    'project,run,report,notices=,run_id=': _init_41fc4a1bad0251fd,
    'raw,fmt,shown,limits': _init_12d45a256bbae3c6,
    'raw_name,flags,method,crc,compressed_size,size,external,offset': _init_8b56c4242124b803,
    'reads,schemas*,above_bytes=,max_depth=,watched=,resources=,pool_limit=': _init_18b8929f585cbceb,
    'reason': _init_8fcfccf675b1f0bf,
    'reports,evidence*,sources=,key_id=': _init_8713cff0ef5976ac,
    'root*,config_file=,controls=,builtin_controls=,mappings=,catalogs=,evidence=,waivers=,scope=,parameters=,now=,frameworks=,fail_on=,max_evidence_mb=,backend=,cel_max_steps=,cel_max_memory=,cel_max_ms=,require_system_evidence=,trusted_keys=,skip_invalid=,max_waiver_days=,record=,record_evidence=,store=,jobs=,trust*,origins*': _init_01b534a1e835be68,
    'root,controls,frameworks,mappings,evidence,example': _init_bbd4e4af15ca9bf0,
    'rule,programs,error=': _init_2c41f906d7f3c12e,
    'run,controls,requirements,evidence': _init_5a4e2aefb47e0ef0,
    'service,call,key,named_by,args*,inner=,within=,item_args*,by_marker=': _init_19b30e3bdb78acc6,
    'source,constants,code': _init_4cc14b7a3a232389,
    'start,end,reason,replacement=': _init_c8346a7b22a95d41,
    'status,coverage=,reason=,attestation_only=': _init_119c516970cf5e44,
    'steps=,memory=,milliseconds=|post': _init_7701ebf303e79d39,
    'value,source': _init_464d8e7f67c8f699,
    'whole,reached': _init_467db290829f7b86,
}
