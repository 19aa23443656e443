"""The ``__init__`` makers of assay's dataclasses, one per field layout.

Written by ``python -m assay.lean_dataclasses``: do not edit. See :mod:`assay.lean_dataclasses`.
It is one module, longer than the house's 500 lines, because a program writes it and its
``.pyc`` is what is read: one file to unmarshal on every run (tests/test_quality.py leaves it out).
"""

# ruff: noqa
# mypy: ignore-errors


def _init_cbd3b62a9dbb9ad1(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4):
    def __init__(self, *, applicability, provider=_dc_1, proven_by=_dc_2, proof_status=_dc_3, complementary_controls=_dc_4, justification):
        _dc_set(self, 'applicability', applicability)
        _dc_set(self, 'provider', provider)
        _dc_set(self, 'proven_by', proven_by)
        _dc_set(self, 'proof_status', proof_status)
        _dc_set(self, 'complementary_controls', complementary_controls)
        _dc_set(self, 'justification', justification)
    return __init__


def _init_a3195283fae49fa0(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, *, attested_by, attested_at, artefacts=_dc_2):
        _dc_set(self, 'attested_by', attested_by)
        _dc_set(self, 'attested_at', attested_at)
        _dc_set(self, 'artefacts', artefacts)
    return __init__


def _init_ab5721db93b9cd49(_dc_set, _DC_FACTORY):
    def __init__(self, *, control, coverage, rationale):
        _dc_set(self, 'control', control)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'rationale', rationale)
    return __init__


def _init_30961910b09e37f8(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, *, control, resources=_dc_1, justification, approver, ticket, expires):
        _dc_set(self, 'control', control)
        _dc_set(self, 'resources', resources)
        _dc_set(self, 'justification', justification)
        _dc_set(self, 'approver', approver)
        _dc_set(self, 'ticket', ticket)
        _dc_set(self, 'expires', expires)
    return __init__


def _init_62fcc992704c3ce0(_dc_set, _DC_FACTORY):
    def __init__(self, *, control, status):
        _dc_set(self, 'control', control)
        _dc_set(self, 'status', status)
    return __init__


def _init_ec1e5c9071fa6e1d(_dc_set, _DC_FACTORY, _dc_4, _dc_5):
    def __init__(self, *, control, status, coverage, rationale, waiver=_dc_4, attestation_only=_dc_5):
        _dc_set(self, 'control', control)
        _dc_set(self, 'status', status)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'rationale', rationale)
        _dc_set(self, 'waiver', waiver)
        _dc_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_49cc9e0323358389(_dc_set, _DC_FACTORY, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11):
    def __init__(self, *, control, title, severity, domain, status, reason=_dc_5, findings=_dc_6, errors=_dc_7, evidence=_dc_8, waiver=_dc_9, expired_waivers=_dc_10, location=_dc_11):
        _dc_set(self, 'control', control)
        _dc_set(self, 'title', title)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'domain', domain)
        _dc_set(self, 'status', status)
        _dc_set(self, 'reason', reason)
        _dc_set(self, 'findings', findings)
        _dc_set(self, 'errors', errors)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'waiver', waiver)
        _dc_set(self, 'expired_waivers', expired_waivers)
        _dc_set(self, 'location', location)
    return __init__


def _init_cf485f388d55a43b(_dc_set, _DC_FACTORY, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_14, _dc_15, _dc_16, _dc_17, _dc_18):
    def __init__(self, *, control, title, severity, domain, status, reason=_dc_5, findings=_dc_6, errors=_dc_7, evidence=_dc_8, waiver=_dc_9, expired_waivers=_dc_10, location=_dc_11, claim, remediation, file=_dc_14, line=_dc_15, mappings=_DC_FACTORY, requirements=_dc_17, attestation_only=_dc_18):
        _dc_set(self, 'control', control)
        _dc_set(self, 'title', title)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'domain', domain)
        _dc_set(self, 'status', status)
        _dc_set(self, 'reason', reason)
        _dc_set(self, 'findings', findings)
        _dc_set(self, 'errors', errors)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'waiver', waiver)
        _dc_set(self, 'expired_waivers', expired_waivers)
        _dc_set(self, 'location', location)
        _dc_set(self, 'claim', claim)
        _dc_set(self, 'remediation', remediation)
        _dc_set(self, 'file', file)
        _dc_set(self, 'line', line)
        _dc_set(self, 'mappings', _dc_16() if mappings is _DC_FACTORY else mappings)
        _dc_set(self, 'requirements', requirements)
        _dc_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_3aa0a3d23bd39ab9(_dc_set, _DC_FACTORY):
    def __init__(self, *, control, waiver, days_left):
        _dc_set(self, 'control', control)
        _dc_set(self, 'waiver', waiver)
        _dc_set(self, 'days_left', days_left)
    return __init__


def _init_3ee02f251211416a(_dc_set, _DC_FACTORY):
    def __init__(self, *, coverage, rationale):
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'rationale', rationale)
    return __init__


def _init_df6c696702964b68(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, *, evidence=_DC_FACTORY, snapshot_at=_dc_1):
        _dc_set(self, 'evidence', _dc_0() if evidence is _DC_FACTORY else evidence)
        _dc_set(self, 'snapshot_at', snapshot_at)
    return __init__


def _init_dfd5d50d3ff09ebc(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, *, file, sha256, description=_dc_2):
        _dc_set(self, 'file', file)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'description', description)
    return __init__


def _init_04476700f4361f6c(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5):
    def __init__(self, *, framework, requirement, applicability, provider=_dc_3, proven_by=_dc_4, complementary_controls=_dc_5, justification):
        _dc_set(self, 'framework', framework)
        _dc_set(self, 'requirement', requirement)
        _dc_set(self, 'applicability', applicability)
        _dc_set(self, 'provider', provider)
        _dc_set(self, 'proven_by', proven_by)
        _dc_set(self, 'complementary_controls', complementary_controls)
        _dc_set(self, 'justification', justification)
        self.__post_init__()
    return __init__


def _init_285306183918f6a3(_dc_set, _DC_FACTORY, _dc_5, _dc_6):
    def __init__(self, *, framework, requirement, control, coverage, rationale, together=_dc_5, together_with=_dc_6):
        _dc_set(self, 'framework', framework)
        _dc_set(self, 'requirement', requirement)
        _dc_set(self, 'control', control)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'rationale', rationale)
        _dc_set(self, 'together', together)
        _dc_set(self, 'together_with', together_with)
    return __init__


def _init_fee9652837bb0e53(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, *, framework, requirement, coverage, status=_dc_3):
        _dc_set(self, 'framework', framework)
        _dc_set(self, 'requirement', requirement)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'status', status)
    return __init__


def _init_6381b0cb61e763ee(_dc_set, _DC_FACTORY):
    def __init__(self, *, framework, requirements):
        _dc_set(self, 'framework', framework)
        _dc_set(self, 'requirements', requirements)
    return __init__


def _init_280d91011390dda0(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_5):
    def __init__(self, *, id, assert_, for_each=_dc_2, resource_id=_dc_3, message=_dc_4, description=_dc_5):
        _dc_set(self, 'id', id)
        _dc_set(self, 'assert_', assert_)
        _dc_set(self, 'for_each', for_each)
        _dc_set(self, 'resource_id', resource_id)
        _dc_set(self, 'message', message)
        _dc_set(self, 'description', description)
        self.__post_init__()
    return __init__


def _init_89b3814040cc7ced(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5):
    def __init__(self, *, id, label=_dc_1, values=_dc_2, choices=_dc_3, how_many=_dc_4, guidelines=_dc_5):
        _dc_set(self, 'id', id)
        _dc_set(self, 'label', label)
        _dc_set(self, 'values', values)
        _dc_set(self, 'choices', choices)
        _dc_set(self, 'how_many', how_many)
        _dc_set(self, 'guidelines', guidelines)
    return __init__


def _init_fad79064a925163e(_dc_set, _DC_FACTORY, _dc_7, _dc_8, _dc_10, _dc_11, _dc_12, _dc_13, _dc_14):
    def __init__(self, *, id, title, claim, description, severity, domain, evidence, check=_dc_7, rules=_dc_8, remediation, references=_dc_10, parameters=_DC_FACTORY, tests=_dc_12, frequency=_dc_13, tolerance=_dc_14):
        _dc_set(self, 'id', id)
        _dc_set(self, 'title', title)
        _dc_set(self, 'claim', claim)
        _dc_set(self, 'description', description)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'domain', domain)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'check', check)
        _dc_set(self, 'rules', rules)
        _dc_set(self, 'remediation', remediation)
        _dc_set(self, 'references', references)
        _dc_set(self, 'parameters', _dc_11() if parameters is _DC_FACTORY else parameters)
        _dc_set(self, 'tests', tests)
        _dc_set(self, 'frequency', frequency)
        _dc_set(self, 'tolerance', tolerance)
        self.__post_init__()
    return __init__


def _init_cdca8554c82b5dda(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11):
    def __init__(self, *, id, title, description=_dc_2, parent=_dc_3, heading=_dc_4, implementation=_dc_5, superseded_after=_dc_6, successor=_dc_7, effective_from=_dc_8, parameters=_dc_9, parts=_dc_10, withdrawn=_dc_11):
        _dc_set(self, 'id', id)
        _dc_set(self, 'title', title)
        _dc_set(self, 'description', description)
        _dc_set(self, 'parent', parent)
        _dc_set(self, 'heading', heading)
        _dc_set(self, 'implementation', implementation)
        _dc_set(self, 'superseded_after', superseded_after)
        _dc_set(self, 'successor', successor)
        _dc_set(self, 'effective_from', effective_from)
        _dc_set(self, 'parameters', parameters)
        _dc_set(self, 'parts', parts)
        _dc_set(self, 'withdrawn', withdrawn)
        self.__post_init__()
    return __init__


def _init_8cc2637d26397b0e(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_12, _dc_13, _dc_14, _dc_15, _dc_16, _dc_17):
    def __init__(self, *, id, title, parent=_dc_2, heading=_dc_3, implementation=_dc_4, status, coverage=_dc_6, reason=_dc_7, attestation_only=_dc_8, together=_dc_9, controls=_dc_10, scope=_dc_11, successor=_dc_12, superseded_after=_dc_13, effective_from=_dc_14, withdrawn=_dc_15, parameters=_dc_16, parts=_dc_17):
        _dc_set(self, 'id', id)
        _dc_set(self, 'title', title)
        _dc_set(self, 'parent', parent)
        _dc_set(self, 'heading', heading)
        _dc_set(self, 'implementation', implementation)
        _dc_set(self, 'status', status)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'reason', reason)
        _dc_set(self, 'attestation_only', attestation_only)
        _dc_set(self, 'together', together)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'scope', scope)
        _dc_set(self, 'successor', successor)
        _dc_set(self, 'superseded_after', superseded_after)
        _dc_set(self, 'effective_from', effective_from)
        _dc_set(self, 'withdrawn', withdrawn)
        _dc_set(self, 'parameters', parameters)
        _dc_set(self, 'parts', parts)
    return __init__


def _init_532839e09276b1fd(_dc_set, _DC_FACTORY):
    def __init__(self, *, key, name, version, assessable, counts, share_met, requirements):
        _dc_set(self, 'key', key)
        _dc_set(self, 'name', name)
        _dc_set(self, 'version', version)
        _dc_set(self, 'assessable', assessable)
        _dc_set(self, 'counts', counts)
        _dc_set(self, 'share_met', share_met)
        _dc_set(self, 'requirements', requirements)
    return __init__


def _init_7ce4ec8d0dcc213f(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, *, key, name, version, source=_dc_3):
        _dc_set(self, 'key', key)
        _dc_set(self, 'name', name)
        _dc_set(self, 'version', version)
        _dc_set(self, 'source', source)
    return __init__


def _init_a06d1834a136cd9e(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, *, key, name, version, source=_dc_3, requirements):
        _dc_set(self, 'key', key)
        _dc_set(self, 'name', name)
        _dc_set(self, 'version', version)
        _dc_set(self, 'source', source)
        _dc_set(self, 'requirements', requirements)
    return __init__


def _init_d527c503dcb4177a(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_4, _dc_5):
    def __init__(self, *, name, evidence=_DC_FACTORY, now=_dc_2, expect, failing=_dc_4, parameters=_DC_FACTORY):
        _dc_set(self, 'name', name)
        _dc_set(self, 'evidence', _dc_1() if evidence is _DC_FACTORY else evidence)
        _dc_set(self, 'now', now)
        _dc_set(self, 'expect', expect)
        _dc_set(self, 'failing', failing)
        _dc_set(self, 'parameters', _dc_5() if parameters is _DC_FACTORY else parameters)
    return __init__


def _init_4942f85d4c1f7d04(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3):
    def __init__(self, *, name, kind=_dc_1, max_age=_dc_2, description=_dc_3):
        _dc_set(self, 'name', name)
        _dc_set(self, 'kind', kind)
        _dc_set(self, 'max_age', max_age)
        _dc_set(self, 'description', description)
    return __init__


def _init_5e76b63583a29077(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3):
    def __init__(self, *, name, label=_dc_1, prose=_dc_2, parts=_dc_3):
        _dc_set(self, 'name', name)
        _dc_set(self, 'label', label)
        _dc_set(self, 'prose', prose)
        _dc_set(self, 'parts', parts)
    return __init__


def _init_cf29fcf820171fca(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8):
    def __init__(self, *, name, path=_dc_1, source=_dc_2, sha256=_dc_3, collected_at=_dc_4, as_of=_dc_5, age_days=_dc_6, used_by=_dc_7, problem=_dc_8):
        _dc_set(self, 'name', name)
        _dc_set(self, 'path', path)
        _dc_set(self, 'source', source)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'as_of', as_of)
        _dc_set(self, 'age_days', age_days)
        _dc_set(self, 'used_by', used_by)
        _dc_set(self, 'problem', problem)
    return __init__


def _init_864c544c63a5672e(_dc_set, _DC_FACTORY):
    def __init__(self, *, name, role):
        _dc_set(self, 'name', name)
        _dc_set(self, 'role', role)
    return __init__


def _init_41f09ba00ba0fe08(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6):
    def __init__(self, *, name, sha256=_dc_1, collected_at=_dc_2, as_of=_dc_3, source=_dc_4, path=_dc_5, problem=_dc_6):
        _dc_set(self, 'name', name)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'as_of', as_of)
        _dc_set(self, 'source', source)
        _dc_set(self, 'path', path)
        _dc_set(self, 'problem', problem)
    return __init__


def _init_b7889a5f3ef1bbfb(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3, _dc_4):
    def __init__(self, *, name=_dc_0, collected_at=_dc_1, as_of=_dc_2, source=_dc_3, format=_dc_4):
        _dc_set(self, 'name', name)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'as_of', as_of)
        _dc_set(self, 'source', source)
        _dc_set(self, 'format', format)
    return __init__


def _init_40a6b9acc5d2d253(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, *, now, backend, results, scope=_dc_3):
        _dc_set(self, 'now', now)
        _dc_set(self, 'backend', backend)
        _dc_set(self, 'results', results)
        _dc_set(self, 'scope', scope)
    return __init__


def _init_c7d36b2f342f7f50(_dc_set, _DC_FACTORY, _dc_2, _dc_3):
    def __init__(self, *, path, line, column=_dc_2, end_column=_dc_3):
        _dc_set(self, 'path', path)
        _dc_set(self, 'line', line)
        _dc_set(self, 'column', column)
        _dc_set(self, 'end_column', end_column)
    return __init__


def _init_84be95125230d0df(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, *, requirement, controls, together=_dc_2):
        _dc_set(self, 'requirement', requirement)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'together', together)
        self.__post_init__()
    return __init__


def _init_c3dba6ba6939f771(_dc_set, _DC_FACTORY, _dc_1, _dc_3, _dc_4):
    def __init__(self, *, rule, resource=_dc_1, message, waived_by=_dc_3, location=_dc_4):
        _dc_set(self, 'rule', rule)
        _dc_set(self, 'resource', resource)
        _dc_set(self, 'message', message)
        _dc_set(self, 'waived_by', waived_by)
        _dc_set(self, 'location', location)
    return __init__


def _init_01547f651d0fa983(_dc_set, _DC_FACTORY, _dc_0, _dc_8, _dc_9, _dc_10, _dc_11):
    def __init__(self, *, schema_version=_dc_0, assay_version, generated_at, backend, summary, frameworks, controls, evidence, waivers_expiring=_dc_8, expired_waivers=_dc_9, problems=_dc_10, unused_evidence=_dc_11):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'assay_version', assay_version)
        _dc_set(self, 'generated_at', generated_at)
        _dc_set(self, 'backend', backend)
        _dc_set(self, 'summary', summary)
        _dc_set(self, 'frameworks', frameworks)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'waivers_expiring', waivers_expiring)
        _dc_set(self, 'expired_waivers', expired_waivers)
        _dc_set(self, 'problems', problems)
        _dc_set(self, 'unused_evidence', unused_evidence)
    return __init__


def _init_9c7dfa2472ef45ce(_dc_set, _DC_FACTORY, _dc_0):
    def __init__(self, *, schema_version=_dc_0, controls):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'controls', controls)
    return __init__


def _init_b0d60be1a00e6a59(_dc_set, _DC_FACTORY, _dc_0):
    def __init__(self, *, schema_version=_dc_0, framework, mappings):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'framework', framework)
        _dc_set(self, 'mappings', mappings)
    return __init__


def _init_bbd8e32e394e0f18(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, *, schema_version=_dc_0, parameters=_DC_FACTORY):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'parameters', _dc_1() if parameters is _DC_FACTORY else parameters)
    return __init__


def _init_0dba50432f661d19(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, *, schema_version=_dc_0, scope=_dc_1):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'scope', scope)
    return __init__


def _init_2cc3d09c38489fe9(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, *, schema_version=_dc_0, waivers=_dc_1):
        _dc_set(self, 'schema_version', schema_version)
        _dc_set(self, 'waivers', waivers)
    return __init__


def _init_c6812cb3fc3830ab(_dc_set, _DC_FACTORY, _dc_4):
    def __init__(self, *, ticket, approver, justification, expires, resources=_dc_4):
        _dc_set(self, 'ticket', ticket)
        _dc_set(self, 'approver', approver)
        _dc_set(self, 'justification', justification)
        _dc_set(self, 'expires', expires)
        _dc_set(self, 'resources', resources)
    return __init__


def _init_ad4f9df3553eb0a1(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3):
    def __init__(self, _items=_DC_FACTORY, _problems=_DC_FACTORY, snapshot_at=_dc_2, digests=_DC_FACTORY):
        _dc_set(self, '_items', _dc_0() if _items is _DC_FACTORY else _items)
        _dc_set(self, '_problems', _dc_1() if _problems is _DC_FACTORY else _problems)
        _dc_set(self, 'snapshot_at', snapshot_at)
        _dc_set(self, 'digests', _dc_3() if digests is _DC_FACTORY else digests)
    return __init__


def _init_2c4b122a6e0395fb(_dc_set, _DC_FACTORY):
    def __init__(self, a, b, controls, requirements, started_failing, stopped_failing, evidence):
        _dc_set(self, 'a', a)
        _dc_set(self, 'b', b)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'requirements', requirements)
        _dc_set(self, 'started_failing', started_failing)
        _dc_set(self, 'stopped_failing', stopped_failing)
        _dc_set(self, 'evidence', evidence)
    return __init__


def _init_65c320ccee07162b(_dc_set, _DC_FACTORY):
    def __init__(self, at, reason):
        _dc_set(self, 'at', at)
        _dc_set(self, 'reason', reason)
    return __init__


def _init_fa3b377af2c4d8e1(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, calls, references, fields=_dc_2):
        _dc_set(self, 'calls', calls)
        _dc_set(self, 'references', references)
        _dc_set(self, 'fields', fields)
    return __init__


def _init_53003d172b5bc1ca(_dc_set, _DC_FACTORY, _dc_3, _dc_4):
    def __init__(self, catalog, errors, shown, invalid=_DC_FACTORY, mappings=_DC_FACTORY):
        _dc_set(self, 'catalog', catalog)
        _dc_set(self, 'errors', errors)
        _dc_set(self, 'shown', shown)
        _dc_set(self, 'invalid', _dc_3() if invalid is _DC_FACTORY else invalid)
        _dc_set(self, 'mappings', _dc_4() if mappings is _DC_FACTORY else mappings)
    return __init__


def _init_92b28f1613a2c0af(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, catalog, known=_DC_FACTORY):
        _dc_set(self, 'catalog', catalog)
        _dc_set(self, 'known', _dc_1() if known is _DC_FACTORY else known)
    return __init__


def _init_d6d3993d81b11da6(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4):
    def __init__(self, collector, out, written=_DC_FACTORY, failed=_DC_FACTORY, removed=_DC_FACTORY):
        _dc_set(self, 'collector', collector)
        _dc_set(self, 'out', out)
        _dc_set(self, 'written', _dc_2() if written is _DC_FACTORY else written)
        _dc_set(self, 'failed', _dc_3() if failed is _DC_FACTORY else failed)
        _dc_set(self, 'removed', _dc_4() if removed is _DC_FACTORY else removed)
    return __init__


def _init_acb4082648172c5a(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, color=_dc_0, width=_dc_1):
        _dc_set(self, 'color', color)
        _dc_set(self, 'width', width)
    return __init__


def _init_fe77517e4bd3e269(_dc_set, _DC_FACTORY, _dc_5):
    def __init__(self, config, account, folder, shown, clock, controls=_dc_5):
        _dc_set(self, 'config', config)
        _dc_set(self, 'account', account)
        _dc_set(self, 'folder', folder)
        _dc_set(self, 'shown', shown)
        _dc_set(self, 'clock', clock)
        _dc_set(self, 'controls', controls)
    return __init__


def _init_1f7568f3dc36e89f(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8):
    def __init__(self, config, catalog, evidence, waivers=_dc_3, scope=_dc_4, parameters=_DC_FACTORY, evidence_root=_dc_6, files=_DC_FACTORY, evidence_shown=_dc_8):
        _dc_set(self, 'config', config)
        _dc_set(self, 'catalog', catalog)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'waivers', waivers)
        _dc_set(self, 'scope', scope)
        _dc_set(self, 'parameters', _dc_5() if parameters is _DC_FACTORY else parameters)
        _dc_set(self, 'evidence_root', evidence_root)
        _dc_set(self, 'files', _dc_7() if files is _DC_FACTORY else files)
        _dc_set(self, 'evidence_shown', evidence_shown)
    return __init__


def _init_94c45594e6be441d(_dc_set, _DC_FACTORY, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_12, _dc_13, _dc_14, _dc_15, _dc_16):
    def __init__(self, config, project, strict, report_path, report_format, clock, controller=_dc_6, worker=_dc_7, selected=_DC_FACTORY, gathered=_DC_FACTORY, checks=_DC_FACTORY, report_note=_dc_11, _catalog=_dc_12, _loaded=_dc_13, _load_error=_dc_14, _engine=_dc_15, _results=_DC_FACTORY):
        _dc_set(self, 'config', config)
        _dc_set(self, 'project', project)
        _dc_set(self, 'strict', strict)
        _dc_set(self, 'report_path', report_path)
        _dc_set(self, 'report_format', report_format)
        _dc_set(self, 'clock', clock)
        _dc_set(self, 'controller', controller)
        _dc_set(self, 'worker', worker)
        _dc_set(self, 'selected', _dc_8() if selected is _DC_FACTORY else selected)
        _dc_set(self, 'gathered', _dc_9() if gathered is _DC_FACTORY else gathered)
        _dc_set(self, 'checks', _dc_10() if checks is _DC_FACTORY else checks)
        _dc_set(self, 'report_note', report_note)
        _dc_set(self, '_catalog', _catalog)
        _dc_set(self, '_loaded', _loaded)
        _dc_set(self, '_load_error', _load_error)
        _dc_set(self, '_engine', _engine)
        _dc_set(self, '_results', _dc_16() if _results is _DC_FACTORY else _results)
    return __init__


def _init_2791d6f3c2faa860(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5):
    def __init__(self, config=_dc_0, output=_dc_1, frameworks=_dc_2, domains=_dc_3, show_percentages=_dc_4, show_control_ids=_dc_5):
        _dc_set(self, 'config', config)
        _dc_set(self, 'output', output)
        _dc_set(self, 'frameworks', frameworks)
        _dc_set(self, 'domains', domains)
        _dc_set(self, 'show_percentages', show_percentages)
        _dc_set(self, 'show_control_ids', show_control_ids)
    return __init__


def _init_65333445acb8c47f(_dc_set, _DC_FACTORY, _dc_4, _dc_5):
    def __init__(self, container, path, anchor, nodes_at_start, pending_key=_dc_4, pending_key_position=_dc_5):
        _dc_set(self, 'container', container)
        _dc_set(self, 'path', path)
        _dc_set(self, 'anchor', anchor)
        _dc_set(self, 'nodes_at_start', nodes_at_start)
        _dc_set(self, 'pending_key', pending_key)
        _dc_set(self, 'pending_key_position', pending_key_position)
    return __init__


def _init_0e8d167c5d724df5(_dc_set, _DC_FACTORY):
    def __init__(self, control, case, result, problems):
        _dc_set(self, 'control', control)
        _dc_set(self, 'case', case)
        _dc_set(self, 'result', result)
        _dc_set(self, 'problems', problems)
    return __init__


def _init_393e3cfc1c03b843(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, control, status, coverage, attestation_only=_dc_3):
        _dc_set(self, 'control', control)
        _dc_set(self, 'status', status)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_0fa68f403886116d(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, control, status, severity, findings=_dc_3):
        _dc_set(self, 'control', control)
        _dc_set(self, 'status', status)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'findings', findings)
    return __init__


def _init_f6be844347d08e2c(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, control, test, outcome, message=_dc_3):
        _dc_set(self, 'control', control)
        _dc_set(self, 'test', test)
        _dc_set(self, 'outcome', outcome)
        _dc_set(self, 'message', message)
    return __init__


def _init_69e8e17580bf844f(_dc_set, _DC_FACTORY, _dc_6, _dc_7):
    def __init__(self, control, verdict, runs, longest_gap, failing, expectation, reasons=_dc_6, samples=_dc_7):
        _dc_set(self, 'control', control)
        _dc_set(self, 'verdict', verdict)
        _dc_set(self, 'runs', runs)
        _dc_set(self, 'longest_gap', longest_gap)
        _dc_set(self, 'failing', failing)
        _dc_set(self, 'expectation', expectation)
        _dc_set(self, 'reasons', reasons)
        _dc_set(self, 'samples', samples)
    return __init__


def _init_65b1ba22ca7406a3(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9):
    def __init__(self, controls, frameworks, mappings, control_sources=_DC_FACTORY, requirement_sources=_DC_FACTORY, files=_dc_5, evidence_schemas=_DC_FACTORY, schema_controls=_DC_FACTORY, builtin_controls=_dc_8, all_builtin_ids=_dc_9):
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'frameworks', frameworks)
        _dc_set(self, 'mappings', mappings)
        _dc_set(self, 'control_sources', _dc_3() if control_sources is _DC_FACTORY else control_sources)
        _dc_set(self, 'requirement_sources', _dc_4() if requirement_sources is _DC_FACTORY else requirement_sources)
        _dc_set(self, 'files', files)
        _dc_set(self, 'evidence_schemas', _dc_6() if evidence_schemas is _DC_FACTORY else evidence_schemas)
        _dc_set(self, 'schema_controls', _dc_7() if schema_controls is _DC_FACTORY else schema_controls)
        _dc_set(self, 'builtin_controls', builtin_controls)
        _dc_set(self, 'all_builtin_ids', all_builtin_ids)
    return __init__


def _init_cc248cbbaa5b6eff(_dc_set, _DC_FACTORY):
    def __init__(self, convert, default, doc):
        _dc_set(self, 'convert', convert)
        _dc_set(self, 'default', default)
        _dc_set(self, 'doc', doc)
    return __init__


def _init_8e38df1762f9f03b(_dc_set, _DC_FACTORY):
    def __init__(self, data, manifest):
        _dc_set(self, 'data', data)
        _dc_set(self, 'manifest', manifest)
    return __init__


def _init_53b01b5fd76db10c(_dc_set, _DC_FACTORY, _dc_1, _dc_2):
    def __init__(self, data, pruned=_dc_1, sightings=_dc_2):
        _dc_set(self, 'data', data)
        _dc_set(self, 'pruned', pruned)
        _dc_set(self, 'sightings', sightings)
    return __init__


def _init_447ef3c0271850ef(_dc_set, _DC_FACTORY):
    def __init__(self, data, redactions):
        _dc_set(self, 'data', data)
        _dc_set(self, 'redactions', redactions)
    return __init__


def _init_7b4cb841bfe8f5a2(_dc_set, _DC_FACTORY):
    def __init__(self, device, inode, size, modified_ns):
        _dc_set(self, 'device', device)
        _dc_set(self, 'inode', inode)
        _dc_set(self, 'size', size)
        _dc_set(self, 'modified_ns', modified_ns)
    return __init__


def _init_8cd5b43b5dc1082a(_dc_set, _DC_FACTORY):
    def __init__(self, digest, fmt):
        _dc_set(self, 'digest', digest)
        _dc_set(self, 'fmt', fmt)
    return __init__


def _init_c8843d0260016eb6(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, directory, key, _bundle=_DC_FACTORY):
        _dc_set(self, 'directory', directory)
        _dc_set(self, 'key', key)
        _dc_set(self, '_bundle', _dc_2() if _bundle is _DC_FACTORY else _bundle)
    return __init__


def _init_bf6d6c9413e0a8bc(_dc_set, _DC_FACTORY):
    def __init__(self, document, path, label):
        _dc_set(self, 'document', document)
        _dc_set(self, 'path', path)
        _dc_set(self, 'label', label)
    return __init__


def _init_a589bcd7036501d6(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, encoded=_DC_FACTORY, walked=_DC_FACTORY):
        _dc_set(self, 'encoded', _dc_0() if encoded is _DC_FACTORY else encoded)
        _dc_set(self, 'walked', _dc_1() if walked is _DC_FACTORY else walked)
    return __init__


def _init_607b80f192e0730e(_dc_set, _DC_FACTORY):
    def __init__(self, entries, unreadable, problems):
        _dc_set(self, 'entries', entries)
        _dc_set(self, 'unreadable', unreadable)
        _dc_set(self, 'problems', problems)
    return __init__


def _init_7e38f5b0c17821bd(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, entry, statuses=_DC_FACTORY):
        _dc_set(self, 'entry', entry)
        _dc_set(self, 'statuses', _dc_1() if statuses is _DC_FACTORY else statuses)
    return __init__


def _init_c78fc489513ec5b7(_dc_set, _DC_FACTORY):
    def __init__(self, evidence, sources, inputs):
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'sources', sources)
        _dc_set(self, 'inputs', inputs)
    return __init__


def _init_339f544cf9e11a9a(_dc_set, _DC_FACTORY):
    def __init__(self, fast, exact, budgeted):
        _dc_set(self, 'fast', fast)
        _dc_set(self, 'exact', exact)
        _dc_set(self, 'budgeted', budgeted)
    return __init__


def _init_51f5797041510419(_dc_set, _DC_FACTORY):
    def __init__(self, file, kind, path):
        _dc_set(self, 'file', file)
        _dc_set(self, 'kind', kind)
        _dc_set(self, 'path', path)
    return __init__


def _init_cd5a97e036084b40(_dc_set, _DC_FACTORY, _dc_4, _dc_5, _dc_6):
    def __init__(self, first_run, first_at, last_run, last_at, recovered_run=_dc_4, recovered_at=_dc_5, duration=_dc_6):
        _dc_set(self, 'first_run', first_run)
        _dc_set(self, 'first_at', first_at)
        _dc_set(self, 'last_run', last_run)
        _dc_set(self, 'last_at', last_at)
        _dc_set(self, 'recovered_run', recovered_run)
        _dc_set(self, 'recovered_at', recovered_at)
        _dc_set(self, 'duration', duration)
    return __init__


def _init_c4e7abd5d6e53fe1(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, frameworks=_DC_FACTORY, mappings=_DC_FACTORY, diagnostics=_DC_FACTORY):
        _dc_set(self, 'frameworks', _dc_0() if frameworks is _DC_FACTORY else frameworks)
        _dc_set(self, 'mappings', _dc_1() if mappings is _DC_FACTORY else mappings)
        _dc_set(self, 'diagnostics', _dc_2() if diagnostics is _DC_FACTORY else diagnostics)
    return __init__


def _init_39cc6f60017068ed(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, frequency=_dc_0, tolerance=_dc_1):
        _dc_set(self, 'frequency', frequency)
        _dc_set(self, 'tolerance', tolerance)
    return __init__


def _init_b2ef646908d0cd25(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, functions=_DC_FACTORY, variables=_DC_FACTORY, fields=_DC_FACTORY):
        _dc_set(self, 'functions', _dc_0() if functions is _DC_FACTORY else functions)
        _dc_set(self, 'variables', _dc_1() if variables is _DC_FACTORY else variables)
        _dc_set(self, 'fields', _dc_2() if fields is _DC_FACTORY else fields)
    return __init__


def _init_c3df794ccb00aeaa(_dc_set, _DC_FACTORY, _dc_7):
    def __init__(self, id, evaluated_at, recorded_at, assay_version, catalog_version, catalog_hash, backend, summary=_DC_FACTORY):
        _dc_set(self, 'id', id)
        _dc_set(self, 'evaluated_at', evaluated_at)
        _dc_set(self, 'recorded_at', recorded_at)
        _dc_set(self, 'assay_version', assay_version)
        _dc_set(self, 'catalog_version', catalog_version)
        _dc_set(self, 'catalog_hash', catalog_hash)
        _dc_set(self, 'backend', backend)
        _dc_set(self, 'summary', _dc_7() if summary is _DC_FACTORY else summary)
    return __init__


def _init_bb4039cf6010d1fe(_dc_set, _DC_FACTORY):
    def __init__(self, info, controls, requirements, evidence):
        _dc_set(self, 'info', info)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'requirements', requirements)
        _dc_set(self, 'evidence', evidence)
    return __init__


def _init_10d1b88d9c777287(_dc_set, _DC_FACTORY):
    def __init__(self, info, requirements, document):
        _dc_set(self, 'info', info)
        _dc_set(self, 'requirements', requirements)
        _dc_set(self, 'document', document)
    return __init__


def _init_949eb4e202c78d37(_dc_set, _DC_FACTORY):
    def __init__(self, item, relative, data):
        _dc_set(self, 'item', item)
        _dc_set(self, 'relative', relative)
        _dc_set(self, 'data', data)
    return __init__


def _init_be0a9137008ad134(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3):
    def __init__(self, items=_DC_FACTORY, diagnostics=_DC_FACTORY, rejected=_DC_FACTORY, complete=_dc_3):
        _dc_set(self, 'items', _dc_0() if items is _DC_FACTORY else items)
        _dc_set(self, 'diagnostics', _dc_1() if diagnostics is _DC_FACTORY else diagnostics)
        _dc_set(self, 'rejected', _dc_2() if rejected is _DC_FACTORY else rejected)
        _dc_set(self, 'complete', complete)
    return __init__


def _init_9fae1601ee439185(_dc_set, _DC_FACTORY):
    def __init__(self, key, before, after):
        _dc_set(self, 'key', key)
        _dc_set(self, 'before', before)
        _dc_set(self, 'after', after)
    return __init__


def _init_13b98f71415309bd(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, key, entries, document, builtin=_dc_3):
        _dc_set(self, 'key', key)
        _dc_set(self, 'entries', entries)
        _dc_set(self, 'document', document)
        _dc_set(self, 'builtin', builtin)
    return __init__


def _init_ad9d567647433b09(_dc_set, _DC_FACTORY):
    def __init__(self, key, name):
        _dc_set(self, 'key', key)
        _dc_set(self, 'name', name)
    return __init__


def _init_a61a3f400a99f825(_dc_set, _DC_FACTORY, _dc_0):
    def __init__(self, key=_dc_0):
        _dc_set(self, 'key', key)
    return __init__


def _init_ab2e92feca6145d3(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3):
    def __init__(self, kind, detail=_dc_1, line=_dc_2, column=_dc_3):
        _dc_set(self, 'kind', kind)
        _dc_set(self, 'detail', detail)
        _dc_set(self, 'line', line)
        _dc_set(self, 'column', column)
    return __init__


def _init_54ee76fd7ed6495d(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, limits, total=_dc_1):
        _dc_set(self, 'limits', limits)
        _dc_set(self, 'total', total)
    return __init__


def _init_8764950c91466ab8(_dc_set, _DC_FACTORY):
    def __init__(self, line, column):
        _dc_set(self, 'line', line)
        _dc_set(self, 'column', column)
    return __init__


def _init_574204cc15d4d5f2(_dc_set, _DC_FACTORY):
    def __init__(self, line, severity, message):
        _dc_set(self, 'line', line)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'message', message)
    return __init__


def _init_2c1b5acc2c767103(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, max_bytes=_dc_0, max_depth=_dc_1, max_nodes=_dc_2):
        _dc_set(self, 'max_bytes', max_bytes)
        _dc_set(self, 'max_depth', max_depth)
        _dc_set(self, 'max_nodes', max_nodes)
    return __init__


def _init_439af17c28c866d8(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3, _dc_4):
    def __init__(self, max_entries=_dc_0, max_entry_bytes=_dc_1, max_total_bytes=_dc_2, max_ratio=_dc_3, ratio_floor=_dc_4):
        _dc_set(self, 'max_entries', max_entries)
        _dc_set(self, 'max_entry_bytes', max_entry_bytes)
        _dc_set(self, 'max_total_bytes', max_total_bytes)
        _dc_set(self, 'max_ratio', max_ratio)
        _dc_set(self, 'ratio_floor', ratio_floor)
    return __init__


def _init_120970d812836f19(_dc_set, _DC_FACTORY):
    def __init__(self, module):
        _dc_set(self, 'module', module)
    return __init__


def _init_dfb3f58af37fa2bd(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10):
    def __init__(self, name, data, sha256, collected_at=_dc_3, as_of=_dc_4, source=_dc_5, path=_dc_6, format=_dc_7, pruned=_dc_8, sightings=_dc_9, size=_dc_10):
        _dc_set(self, 'name', name)
        _dc_set(self, 'data', data)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'as_of', as_of)
        _dc_set(self, 'source', source)
        _dc_set(self, 'path', path)
        _dc_set(self, 'format', format)
        _dc_set(self, 'pruned', pruned)
        _dc_set(self, 'sightings', sightings)
        _dc_set(self, 'size', size)
        self.__post_init__()
    return __init__


def _init_dfd6e7a007fef593(_dc_set, _DC_FACTORY):
    def __init__(self, name, diagnostic):
        _dc_set(self, 'name', name)
        _dc_set(self, 'diagnostic', diagnostic)
    return __init__


def _init_0817ff43ffab2f97(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5):
    def __init__(self, name, extension, render, description=_dc_3, media_type=_dc_4, takes_options=_dc_5):
        _dc_set(self, 'name', name)
        _dc_set(self, 'extension', extension)
        _dc_set(self, 'render', render)
        _dc_set(self, 'description', description)
        _dc_set(self, 'media_type', media_type)
        _dc_set(self, 'takes_options', takes_options)
    return __init__


def _init_21ba4623efaca752(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5):
    def __init__(self, name, file, sha256, collected_at=_dc_3, source=_dc_4, redactions=_dc_5):
        _dc_set(self, 'name', name)
        _dc_set(self, 'file', file)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'source', source)
        _dc_set(self, 'redactions', redactions)
    return __init__


def _init_7a0d55dd6cb9fce6(_dc_set, _DC_FACTORY):
    def __init__(self, name, flags, method, crc, compressed_size, size, mode, data_offset):
        _dc_set(self, 'name', name)
        _dc_set(self, 'flags', flags)
        _dc_set(self, 'method', method)
        _dc_set(self, 'crc', crc)
        _dc_set(self, 'compressed_size', compressed_size)
        _dc_set(self, 'size', size)
        _dc_set(self, 'mode', mode)
        _dc_set(self, 'data_offset', data_offset)
    return __init__


def _init_73d9627ecc3a2ffd(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, name, folder, refused=_dc_2):
        _dc_set(self, 'name', name)
        _dc_set(self, 'folder', folder)
        _dc_set(self, 'refused', refused)
    return __init__


def _init_08dd04131e2b5163(_dc_set, _DC_FACTORY):
    def __init__(self, name, implementation, signature, doc):
        _dc_set(self, 'name', name)
        _dc_set(self, 'implementation', implementation)
        _dc_set(self, 'signature', signature)
        _dc_set(self, 'doc', doc)
    return __init__


def _init_8661cf67f4508686(_dc_set, _DC_FACTORY, _dc_5):
    def __init__(self, name, library, implementation, signatures, doc, costed=_dc_5):
        _dc_set(self, 'name', name)
        _dc_set(self, 'library', library)
        _dc_set(self, 'implementation', implementation)
        _dc_set(self, 'signatures', signatures)
        _dc_set(self, 'doc', doc)
        _dc_set(self, 'costed', costed)
    return __init__


def _init_7e18de15d8fe2c06(_dc_set, _DC_FACTORY):
    def __init__(self, name, library, signatures, doc):
        _dc_set(self, 'name', name)
        _dc_set(self, 'library', library)
        _dc_set(self, 'signatures', signatures)
        _dc_set(self, 'doc', doc)
    return __init__


def _init_67581b68f8ebb87c(_dc_set, _DC_FACTORY, _dc_3, _dc_4):
    def __init__(self, name, named_by, failed, key=_dc_3, region_field=_dc_4):
        _dc_set(self, 'name', name)
        _dc_set(self, 'named_by', named_by)
        _dc_set(self, 'failed', failed)
        _dc_set(self, 'key', key)
        _dc_set(self, 'region_field', region_field)
    return __init__


def _init_b0f730913d737392(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_5):
    def __init__(self, name, sha256, collected_at=_dc_2, as_of=_dc_3, source=_dc_4, path=_dc_5):
        _dc_set(self, 'name', name)
        _dc_set(self, 'sha256', sha256)
        _dc_set(self, 'collected_at', collected_at)
        _dc_set(self, 'as_of', as_of)
        _dc_set(self, 'source', source)
        _dc_set(self, 'path', path)
    return __init__


def _init_270b283dcbd6b270(_dc_set, _DC_FACTORY, _dc_5):
    def __init__(self, name, url, host, port, path, secrets=_dc_5):
        _dc_set(self, 'name', name)
        _dc_set(self, 'url', url)
        _dc_set(self, 'host', host)
        _dc_set(self, 'port', port)
        _dc_set(self, 'path', path)
        _dc_set(self, 'secrets', secrets)
    return __init__


def _init_774215339c677156(_dc_set, _DC_FACTORY):
    def __init__(self, names, line, column):
        _dc_set(self, 'names', names)
        _dc_set(self, 'line', line)
        _dc_set(self, 'column', column)
    return __init__


def _init_a348d7c88bad36ea(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7):
    def __init__(self, now, store, native_now, converted=_DC_FACTORY, schema_problems=_DC_FACTORY, parameters=_DC_FACTORY, lists=_DC_FACTORY, sizes=_DC_FACTORY):
        _dc_set(self, 'now', now)
        _dc_set(self, 'store', store)
        _dc_set(self, 'native_now', native_now)
        _dc_set(self, 'converted', _dc_3() if converted is _DC_FACTORY else converted)
        _dc_set(self, 'schema_problems', _dc_4() if schema_problems is _DC_FACTORY else schema_problems)
        _dc_set(self, 'parameters', _dc_5() if parameters is _DC_FACTORY else parameters)
        _dc_set(self, 'lists', _dc_6() if lists is _DC_FACTORY else lists)
        _dc_set(self, 'sizes', _dc_7() if sizes is _DC_FACTORY else sizes)
    return __init__


def _init_50e7e45d2fb19992(_dc_set, _DC_FACTORY, _dc_1, _dc_2):
    def __init__(self, options, words=_DC_FACTORY, subcommands=_DC_FACTORY):
        _dc_set(self, 'options', options)
        _dc_set(self, 'words', _dc_1() if words is _DC_FACTORY else words)
        _dc_set(self, 'subcommands', _dc_2() if subcommands is _DC_FACTORY else subcommands)
    return __init__


def _init_b12bb6e57729eab4(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, order, children=_DC_FACTORY):
        _dc_set(self, 'order', order)
        _dc_set(self, 'children', _dc_1() if children is _DC_FACTORY else children)
    return __init__


def _init_dea736676c9e9705(_dc_set, _DC_FACTORY):
    def __init__(self, out, err):
        _dc_set(self, 'out', out)
        _dc_set(self, 'err', err)
    return __init__


def _init_94b184a672158507(_dc_set, _DC_FACTORY, _dc_1):
    def __init__(self, package, entry_point=_dc_1):
        _dc_set(self, 'package', package)
        _dc_set(self, 'entry_point', entry_point)
    return __init__


def _init_25611f4ae4b3f7c5(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_5):
    def __init__(self, path, data, values=_DC_FACTORY, keys=_DC_FACTORY, scalars=_DC_FACTORY, lines=_DC_FACTORY):
        _dc_set(self, 'path', path)
        _dc_set(self, 'data', data)
        _dc_set(self, 'values', _dc_2() if values is _DC_FACTORY else values)
        _dc_set(self, 'keys', _dc_3() if keys is _DC_FACTORY else keys)
        _dc_set(self, 'scalars', _dc_4() if scalars is _DC_FACTORY else scalars)
        _dc_set(self, 'lines', _dc_5() if lines is _DC_FACTORY else lines)
    return __init__


def _init_937b288ef9d10d40(_dc_set, _DC_FACTORY, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7):
    def __init__(self, path, data, values=_DC_FACTORY, keys=_DC_FACTORY, scalars=_DC_FACTORY, lines=_DC_FACTORY, text=_dc_6, _offsets=_dc_7):
        _dc_set(self, 'path', path)
        _dc_set(self, 'data', data)
        _dc_set(self, 'values', _dc_2() if values is _DC_FACTORY else values)
        _dc_set(self, 'keys', _dc_3() if keys is _DC_FACTORY else keys)
        _dc_set(self, 'scalars', _dc_4() if scalars is _DC_FACTORY else scalars)
        _dc_set(self, 'lines', _dc_5() if lines is _DC_FACTORY else lines)
        _dc_set(self, 'text', text)
        _dc_set(self, '_offsets', _offsets)
    return __init__


def _init_e85cedf5d0d508c2(_dc_set, _DC_FACTORY):
    def __init__(self, path, kind, data):
        _dc_set(self, 'path', path)
        _dc_set(self, 'kind', kind)
        _dc_set(self, 'data', data)
    return __init__


def _init_b11e6846ae83cfc6(_dc_set, _DC_FACTORY, _dc_5):
    def __init__(self, path, line, column, severity, message, breadcrumb=_dc_5):
        _dc_set(self, 'path', path)
        _dc_set(self, 'line', line)
        _dc_set(self, 'column', column)
        _dc_set(self, 'severity', severity)
        _dc_set(self, 'message', message)
        _dc_set(self, 'breadcrumb', breadcrumb)
    return __init__


def _init_100e5f4ee63fe86b(_dc_set, _DC_FACTORY):
    def __init__(self, path, reason):
        _dc_set(self, 'path', path)
        _dc_set(self, 'reason', reason)
    return __init__


def _init_01caaca75bf88b38(_dc_set, _DC_FACTORY):
    def __init__(self, path, role, size, used):
        _dc_set(self, 'path', path)
        _dc_set(self, 'role', role)
        _dc_set(self, 'size', size)
        _dc_set(self, 'used', used)
    return __init__


def _init_65e26bef90dea0d5(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_12, _dc_13, _dc_14):
    def __init__(self, path, service, call, source=_dc_3, args=_DC_FACTORY, keys=_dc_5, scope=_dc_6, each=_dc_7, item_args=_DC_FACTORY, batch=_dc_9, absent=_dc_10, absent_as=_dc_11, remember=_dc_12, produce=_dc_13, text=_dc_14):
        _dc_set(self, 'path', path)
        _dc_set(self, 'service', service)
        _dc_set(self, 'call', call)
        _dc_set(self, 'source', source)
        _dc_set(self, 'args', _dc_4() if args is _DC_FACTORY else args)
        _dc_set(self, 'keys', keys)
        _dc_set(self, 'scope', scope)
        _dc_set(self, 'each', each)
        _dc_set(self, 'item_args', _dc_8() if item_args is _DC_FACTORY else item_args)
        _dc_set(self, 'batch', batch)
        _dc_set(self, 'absent', absent)
        _dc_set(self, 'absent_as', absent_as)
        _dc_set(self, 'remember', remember)
        _dc_set(self, 'produce', produce)
        _dc_set(self, 'text', text)
    return __init__


def _init_7f4bace081057d3b(_dc_set, _DC_FACTORY):
    def __init__(self, path, shown, original, text, bom, crlf, data, stamp, base):
        _dc_set(self, 'path', path)
        _dc_set(self, 'shown', shown)
        _dc_set(self, 'original', original)
        _dc_set(self, 'text', text)
        _dc_set(self, 'bom', bom)
        _dc_set(self, 'crlf', crlf)
        _dc_set(self, 'data', data)
        _dc_set(self, 'stamp', stamp)
        _dc_set(self, 'base', base)
    return __init__


def _init_d273889d05a440b9(_dc_set, _DC_FACTORY):
    def __init__(self, path, source):
        _dc_set(self, 'path', path)
        _dc_set(self, 'source', source)
    return __init__


def _init_b8a02dcf7fbfcc83(_dc_set, _DC_FACTORY):
    def __init__(self, position, style):
        _dc_set(self, 'position', position)
        _dc_set(self, 'style', style)
    return __init__


def _init_d6f055d657a8a95e(_dc_set, _DC_FACTORY):
    def __init__(self, present, pool):
        _dc_set(self, 'present', present)
        _dc_set(self, 'pool', pool)
    return __init__


def _init_2ed859344fb45586(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, problem=_dc_0, note=_dc_1, signer=_dc_2):
        _dc_set(self, 'problem', problem)
        _dc_set(self, 'note', note)
        _dc_set(self, 'signer', signer)
    return __init__


def _init_0cdc8665e0595b7e(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4):
    def __init__(self, problems, notes=_dc_1, files=_dc_2, refused=_dc_3, signer=_dc_4):
        _dc_set(self, 'problems', problems)
        _dc_set(self, 'notes', notes)
        _dc_set(self, 'files', files)
        _dc_set(self, 'refused', refused)
        _dc_set(self, 'signer', signer)
    return __init__


def _init_41fc4a1bad0251fd(_dc_set, _DC_FACTORY, _dc_3, _dc_4):
    def __init__(self, project, run, report, notices=_dc_3, run_id=_dc_4):
        _dc_set(self, 'project', project)
        _dc_set(self, 'run', run)
        _dc_set(self, 'report', report)
        _dc_set(self, 'notices', notices)
        _dc_set(self, 'run_id', run_id)
    return __init__


def _init_f09603cb116c7afa(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, project, wanted, texts=_DC_FACTORY):
        _dc_set(self, 'project', project)
        _dc_set(self, 'wanted', wanted)
        _dc_set(self, 'texts', _dc_2() if texts is _DC_FACTORY else texts)
    return __init__


def _init_12d45a256bbae3c6(_dc_set, _DC_FACTORY):
    def __init__(self, raw, fmt, shown, limits):
        _dc_set(self, 'raw', raw)
        _dc_set(self, 'fmt', fmt)
        _dc_set(self, 'shown', shown)
        _dc_set(self, 'limits', limits)
    return __init__


def _init_641742b18a9b820d(_dc_set, _DC_FACTORY, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_12, _dc_13):
    def __init__(self, raw, format, path, wanted=_dc_3, base=_dc_4, ascii_only=_dc_5, length=_dc_6, strings=_dc_7, words=_dc_8, budget=_dc_9, found=_DC_FACTORY, lines=_dc_11, decoded=_dc_12, released=_dc_13):
        _dc_set(self, 'raw', raw)
        _dc_set(self, 'format', format)
        _dc_set(self, 'path', path)
        _dc_set(self, 'wanted', wanted)
        _dc_set(self, 'base', base)
        _dc_set(self, 'ascii_only', ascii_only)
        _dc_set(self, 'length', length)
        _dc_set(self, 'strings', strings)
        _dc_set(self, 'words', words)
        _dc_set(self, 'budget', budget)
        _dc_set(self, 'found', _dc_10() if found is _DC_FACTORY else found)
        _dc_set(self, 'lines', lines)
        _dc_set(self, 'decoded', decoded)
        _dc_set(self, 'released', released)
        self.__post_init__()
    return __init__


def _init_8b56c4242124b803(_dc_set, _DC_FACTORY):
    def __init__(self, raw_name, flags, method, crc, compressed_size, size, external, offset):
        _dc_set(self, 'raw_name', raw_name)
        _dc_set(self, 'flags', flags)
        _dc_set(self, 'method', method)
        _dc_set(self, 'crc', crc)
        _dc_set(self, 'compressed_size', compressed_size)
        _dc_set(self, 'size', size)
        _dc_set(self, 'external', external)
        _dc_set(self, 'offset', offset)
    return __init__


def _init_18b8929f585cbceb(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6):
    def __init__(self, reads, schemas=_DC_FACTORY, above_bytes=_dc_2, max_depth=_dc_3, watched=_dc_4, resources=_dc_5, pool_limit=_dc_6):
        _dc_set(self, 'reads', reads)
        _dc_set(self, 'schemas', _dc_1() if schemas is _DC_FACTORY else schemas)
        _dc_set(self, 'above_bytes', above_bytes)
        _dc_set(self, 'max_depth', max_depth)
        _dc_set(self, 'watched', watched)
        _dc_set(self, 'resources', resources)
        _dc_set(self, 'pool_limit', pool_limit)
    return __init__


def _init_8fcfccf675b1f0bf(_dc_set, _DC_FACTORY):
    def __init__(self, reason):
        _dc_set(self, 'reason', reason)
    return __init__


def _init_8713cff0ef5976ac(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3):
    def __init__(self, reports, evidence=_DC_FACTORY, sources=_dc_2, key_id=_dc_3):
        _dc_set(self, 'reports', reports)
        _dc_set(self, 'evidence', _dc_1() if evidence is _DC_FACTORY else evidence)
        _dc_set(self, 'sources', sources)
        _dc_set(self, 'key_id', key_id)
    return __init__


def _init_01b534a1e835be68(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2, _dc_3, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9, _dc_10, _dc_11, _dc_12, _dc_13, _dc_14, _dc_15, _dc_16, _dc_17, _dc_18, _dc_19, _dc_20, _dc_21, _dc_22, _dc_23, _dc_24, _dc_25, _dc_26, _dc_27):
    def __init__(self, root=_DC_FACTORY, config_file=_dc_1, controls=_dc_2, builtin_controls=_dc_3, mappings=_dc_4, catalogs=_dc_5, evidence=_dc_6, waivers=_dc_7, scope=_dc_8, parameters=_dc_9, now=_dc_10, frameworks=_dc_11, fail_on=_dc_12, max_evidence_mb=_dc_13, backend=_dc_14, cel_max_steps=_dc_15, cel_max_memory=_dc_16, cel_max_ms=_dc_17, require_system_evidence=_dc_18, trusted_keys=_dc_19, skip_invalid=_dc_20, max_waiver_days=_dc_21, record=_dc_22, record_evidence=_dc_23, store=_dc_24, jobs=_dc_25, trust=_DC_FACTORY, origins=_DC_FACTORY):
        _dc_set(self, 'root', _dc_0() if root is _DC_FACTORY else root)
        _dc_set(self, 'config_file', config_file)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'builtin_controls', builtin_controls)
        _dc_set(self, 'mappings', mappings)
        _dc_set(self, 'catalogs', catalogs)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'waivers', waivers)
        _dc_set(self, 'scope', scope)
        _dc_set(self, 'parameters', parameters)
        _dc_set(self, 'now', now)
        _dc_set(self, 'frameworks', frameworks)
        _dc_set(self, 'fail_on', fail_on)
        _dc_set(self, 'max_evidence_mb', max_evidence_mb)
        _dc_set(self, 'backend', backend)
        _dc_set(self, 'cel_max_steps', cel_max_steps)
        _dc_set(self, 'cel_max_memory', cel_max_memory)
        _dc_set(self, 'cel_max_ms', cel_max_ms)
        _dc_set(self, 'require_system_evidence', require_system_evidence)
        _dc_set(self, 'trusted_keys', trusted_keys)
        _dc_set(self, 'skip_invalid', skip_invalid)
        _dc_set(self, 'max_waiver_days', max_waiver_days)
        _dc_set(self, 'record', record)
        _dc_set(self, 'record_evidence', record_evidence)
        _dc_set(self, 'store', store)
        _dc_set(self, 'jobs', jobs)
        _dc_set(self, 'trust', _dc_26() if trust is _DC_FACTORY else trust)
        _dc_set(self, 'origins', _dc_27() if origins is _DC_FACTORY else origins)
    return __init__


def _init_bbd4e4af15ca9bf0(_dc_set, _DC_FACTORY):
    def __init__(self, root, controls, frameworks, mappings, evidence, example):
        _dc_set(self, 'root', root)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'frameworks', frameworks)
        _dc_set(self, 'mappings', mappings)
        _dc_set(self, 'evidence', evidence)
        _dc_set(self, 'example', example)
    return __init__


def _init_e25a7b925de5bd40(_dc_set, _DC_FACTORY, _dc_5, _dc_6, _dc_7, _dc_8, _dc_9):
    def __init__(self, root, shown, limits, manifest, store, pruning=_dc_5, names=_DC_FACTORY, bytes_read=_dc_7, real=_dc_8, following=_DC_FACTORY):
        _dc_set(self, 'root', root)
        _dc_set(self, 'shown', shown)
        _dc_set(self, 'limits', limits)
        _dc_set(self, 'manifest', manifest)
        _dc_set(self, 'store', store)
        _dc_set(self, 'pruning', pruning)
        _dc_set(self, 'names', _dc_6() if names is _DC_FACTORY else names)
        _dc_set(self, 'bytes_read', bytes_read)
        _dc_set(self, 'real', real)
        _dc_set(self, 'following', _dc_9() if following is _DC_FACTORY else following)
        self.__post_init__()
    return __init__


def _init_2c41f906d7f3c12e(_dc_set, _DC_FACTORY, _dc_2):
    def __init__(self, rule, programs, error=_dc_2):
        _dc_set(self, 'rule', rule)
        _dc_set(self, 'programs', programs)
        _dc_set(self, 'error', error)
    return __init__


def _init_1ff907251e869a1f(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, rule, resource, message, waived_by=_dc_3):
        _dc_set(self, 'rule', rule)
        _dc_set(self, 'resource', resource)
        _dc_set(self, 'message', message)
        _dc_set(self, 'waived_by', waived_by)
    return __init__


def _init_166b9850b8a78b68(_dc_set, _DC_FACTORY):
    def __init__(self, run, at, status):
        _dc_set(self, 'run', run)
        _dc_set(self, 'at', at)
        _dc_set(self, 'status', status)
    return __init__


def _init_5c70332a16049f78(_dc_set, _DC_FACTORY):
    def __init__(self, run, at, status, failing_resources):
        _dc_set(self, 'run', run)
        _dc_set(self, 'at', at)
        _dc_set(self, 'status', status)
        _dc_set(self, 'failing_resources', failing_resources)
    return __init__


def _init_ce3405d0f78e767d(_dc_set, _DC_FACTORY):
    def __init__(self, run, columns):
        _dc_set(self, 'run', run)
        _dc_set(self, 'columns', columns)
    return __init__


def _init_5a4e2aefb47e0ef0(_dc_set, _DC_FACTORY):
    def __init__(self, run, controls, requirements, evidence):
        _dc_set(self, 'run', run)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'requirements', requirements)
        _dc_set(self, 'evidence', evidence)
    return __init__


def _init_19b30e3bdb78acc6(_dc_set, _DC_FACTORY, _dc_4, _dc_5, _dc_6, _dc_7, _dc_8):
    def __init__(self, service, call, key, named_by, args=_DC_FACTORY, inner=_dc_5, within=_dc_6, item_args=_DC_FACTORY, by_marker=_dc_8):
        _dc_set(self, 'service', service)
        _dc_set(self, 'call', call)
        _dc_set(self, 'key', key)
        _dc_set(self, 'named_by', named_by)
        _dc_set(self, 'args', _dc_4() if args is _DC_FACTORY else args)
        _dc_set(self, 'inner', inner)
        _dc_set(self, 'within', within)
        _dc_set(self, 'item_args', _dc_7() if item_args is _DC_FACTORY else item_args)
        _dc_set(self, 'by_marker', by_marker)
    return __init__


def _init_4cc14b7a3a232389(_dc_set, _DC_FACTORY):
    def __init__(self, source, constants, code):
        _dc_set(self, 'source', source)
        _dc_set(self, 'constants', constants)
        _dc_set(self, 'code', code)
    return __init__


def _init_c8346a7b22a95d41(_dc_set, _DC_FACTORY, _dc_3):
    def __init__(self, start, end, reason, replacement=_dc_3):
        _dc_set(self, 'start', start)
        _dc_set(self, 'end', end)
        _dc_set(self, 'reason', reason)
        _dc_set(self, 'replacement', replacement)
    return __init__


def _init_9b0a0eff00cf869e(_dc_set, _DC_FACTORY, _dc_4):
    def __init__(self, start, end, runs, controls, evidence=_DC_FACTORY):
        _dc_set(self, 'start', start)
        _dc_set(self, 'end', end)
        _dc_set(self, 'runs', runs)
        _dc_set(self, 'controls', controls)
        _dc_set(self, 'evidence', _dc_4() if evidence is _DC_FACTORY else evidence)
    return __init__


def _init_119c516970cf5e44(_dc_set, _DC_FACTORY, _dc_1, _dc_2, _dc_3):
    def __init__(self, status, coverage=_dc_1, reason=_dc_2, attestation_only=_dc_3):
        _dc_set(self, 'status', status)
        _dc_set(self, 'coverage', coverage)
        _dc_set(self, 'reason', reason)
        _dc_set(self, 'attestation_only', attestation_only)
    return __init__


def _init_7701ebf303e79d39(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, steps=_dc_0, memory=_dc_1, milliseconds=_dc_2):
        _dc_set(self, 'steps', steps)
        _dc_set(self, 'memory', memory)
        _dc_set(self, 'milliseconds', milliseconds)
        self.__post_init__()
    return __init__


def _init_464d8e7f67c8f699(_dc_set, _DC_FACTORY):
    def __init__(self, value, source):
        _dc_set(self, 'value', value)
        _dc_set(self, 'source', source)
    return __init__


def _init_e385dd237b00cb48(_dc_set, _DC_FACTORY, _dc_0, _dc_1, _dc_2):
    def __init__(self, values=_DC_FACTORY, document=_dc_1, diagnostics=_DC_FACTORY):
        _dc_set(self, 'values', _dc_0() if values is _DC_FACTORY else values)
        _dc_set(self, 'document', document)
        _dc_set(self, 'diagnostics', _dc_2() if diagnostics is _DC_FACTORY else diagnostics)
    return __init__


def _init_81f330961d7192f4(_dc_set, _DC_FACTORY, _dc_2, _dc_3):
    def __init__(self, wanted, limit, present=_DC_FACTORY, pool=_DC_FACTORY):
        _dc_set(self, 'wanted', wanted)
        _dc_set(self, 'limit', limit)
        _dc_set(self, 'present', _dc_2() if present is _DC_FACTORY else present)
        _dc_set(self, 'pool', _dc_3() if pool is _DC_FACTORY else pool)
    return __init__


def _init_a40a4c9bff69ec9a(_dc_set, _DC_FACTORY, _dc_0, _dc_1):
    def __init__(self, whole=_DC_FACTORY, reached=_DC_FACTORY):
        _dc_set(self, 'whole', _dc_0() if whole is _DC_FACTORY else whole)
        _dc_set(self, 'reached', _dc_1() if reached is _DC_FACTORY else reached)
    return __init__


def _init_467db290829f7b86(_dc_set, _DC_FACTORY):
    def __init__(self, whole, reached):
        _dc_set(self, 'whole', whole)
        _dc_set(self, 'reached', reached)
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
    '_items*,_problems*,snapshot_at=,digests*': _init_ad4f9df3553eb0a1,
    'a,b,controls,requirements,started_failing,stopped_failing,evidence': _init_2c4b122a6e0395fb,
    'at,reason': _init_65c320ccee07162b,
    'calls,references,fields=': _init_fa3b377af2c4d8e1,
    'catalog,errors,shown,invalid*,mappings*': _init_53003d172b5bc1ca,
    'catalog,known*': _init_92b28f1613a2c0af,
    'collector,out,written*,failed*,removed*': _init_d6d3993d81b11da6,
    'color=,width=': _init_acb4082648172c5a,
    'config,account,folder,shown,clock,controls=': _init_fe77517e4bd3e269,
    'config,catalog,evidence,waivers=,scope=,parameters*,evidence_root=,files*,evidence_shown=': _init_1f7568f3dc36e89f,
    'config,project,strict,report_path,report_format,clock,controller=,worker=,selected*,gathered*,checks*,report_note=,_catalog=,_loaded=,_load_error=,_engine=,_results*': _init_94c45594e6be441d,
    'config=,output=,frameworks=,domains=,show_percentages=,show_control_ids=': _init_2791d6f3c2faa860,
    'container,path,anchor,nodes_at_start,pending_key=,pending_key_position=': _init_65333445acb8c47f,
    'control,case,result,problems': _init_0e8d167c5d724df5,
    'control,status,coverage,attestation_only=': _init_393e3cfc1c03b843,
    'control,status,severity,findings=': _init_0fa68f403886116d,
    'control,test,outcome,message=': _init_f6be844347d08e2c,
    'control,verdict,runs,longest_gap,failing,expectation,reasons=,samples=': _init_69e8e17580bf844f,
    'controls,frameworks,mappings,control_sources*,requirement_sources*,files=,evidence_schemas*,schema_controls*,builtin_controls=,all_builtin_ids=': _init_65b1ba22ca7406a3,
    'convert,default,doc': _init_cc248cbbaa5b6eff,
    'data,manifest': _init_8e38df1762f9f03b,
    'data,pruned=,sightings=': _init_53b01b5fd76db10c,
    'data,redactions': _init_447ef3c0271850ef,
    'device,inode,size,modified_ns': _init_7b4cb841bfe8f5a2,
    'digest,fmt': _init_8cd5b43b5dc1082a,
    'directory,key,_bundle*': _init_c8843d0260016eb6,
    'document,path,label': _init_bf6d6c9413e0a8bc,
    'encoded*,walked*': _init_a589bcd7036501d6,
    'entries,unreadable,problems': _init_607b80f192e0730e,
    'entry,statuses*': _init_7e38f5b0c17821bd,
    'evidence,sources,inputs': _init_c78fc489513ec5b7,
    'fast,exact,budgeted': _init_339f544cf9e11a9a,
    'file,kind,path': _init_51f5797041510419,
    'first_run,first_at,last_run,last_at,recovered_run=,recovered_at=,duration=': _init_cd5a97e036084b40,
    'frameworks*,mappings*,diagnostics*': _init_c4e7abd5d6e53fe1,
    'frequency=,tolerance=': _init_39cc6f60017068ed,
    'functions*,variables*,fields*': _init_b2ef646908d0cd25,
    'id,evaluated_at,recorded_at,assay_version,catalog_version,catalog_hash,backend,summary*': _init_c3df794ccb00aeaa,
    'info,controls,requirements,evidence': _init_bb4039cf6010d1fe,
    'info,requirements,document': _init_10d1b88d9c777287,
    'item,relative,data': _init_949eb4e202c78d37,
    'items*,diagnostics*,rejected*,complete=': _init_be0a9137008ad134,
    'key,before,after': _init_9fae1601ee439185,
    'key,entries,document,builtin=': _init_13b98f71415309bd,
    'key,name': _init_ad9d567647433b09,
    'key=': _init_a61a3f400a99f825,
    'kind,detail=,line=,column=': _init_ab2e92feca6145d3,
    'limits,total=': _init_54ee76fd7ed6495d,
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
    'name,sha256,collected_at=,as_of=,source=,path=': _init_b0f730913d737392,
    'name,url,host,port,path,secrets=': _init_270b283dcbd6b270,
    'names,line,column': _init_774215339c677156,
    'now,store,native_now,converted*,schema_problems*,parameters*,lists*,sizes*': _init_a348d7c88bad36ea,
    'options,words*,subcommands*': _init_50e7e45d2fb19992,
    'order,children*': _init_b12bb6e57729eab4,
    'out,err': _init_dea736676c9e9705,
    'package,entry_point=': _init_94b184a672158507,
    'path,data,values*,keys*,scalars*,lines*': _init_25611f4ae4b3f7c5,
    'path,data,values*,keys*,scalars*,lines*,text=,_offsets=': _init_937b288ef9d10d40,
    'path,kind,data': _init_e85cedf5d0d508c2,
    'path,line,column,severity,message,breadcrumb=': _init_b11e6846ae83cfc6,
    'path,reason': _init_100e5f4ee63fe86b,
    'path,role,size,used': _init_01caaca75bf88b38,
    'path,service,call,source=,args*,keys=,scope=,each=,item_args*,batch=,absent=,absent_as=,remember=,produce=,text=': _init_65e26bef90dea0d5,
    'path,shown,original,text,bom,crlf,data,stamp,base': _init_7f4bace081057d3b,
    'path,source': _init_d273889d05a440b9,
    'position,style': _init_b8a02dcf7fbfcc83,
    'present,pool': _init_d6f055d657a8a95e,
    'problem=,note=,signer=': _init_2ed859344fb45586,
    'problems,notes=,files=,refused=,signer=': _init_0cdc8665e0595b7e,
    'project,run,report,notices=,run_id=': _init_41fc4a1bad0251fd,
    'project,wanted,texts*': _init_f09603cb116c7afa,
    'raw,fmt,shown,limits': _init_12d45a256bbae3c6,
    'raw,format,path,wanted=,base=,ascii_only=,length=,strings=,words=,budget=,found*,lines=,decoded=,released=|post': _init_641742b18a9b820d,
    'raw_name,flags,method,crc,compressed_size,size,external,offset': _init_8b56c4242124b803,
    'reads,schemas*,above_bytes=,max_depth=,watched=,resources=,pool_limit=': _init_18b8929f585cbceb,
    'reason': _init_8fcfccf675b1f0bf,
    'reports,evidence*,sources=,key_id=': _init_8713cff0ef5976ac,
    'root*,config_file=,controls=,builtin_controls=,mappings=,catalogs=,evidence=,waivers=,scope=,parameters=,now=,frameworks=,fail_on=,max_evidence_mb=,backend=,cel_max_steps=,cel_max_memory=,cel_max_ms=,require_system_evidence=,trusted_keys=,skip_invalid=,max_waiver_days=,record=,record_evidence=,store=,jobs=,trust*,origins*': _init_01b534a1e835be68,
    'root,controls,frameworks,mappings,evidence,example': _init_bbd4e4af15ca9bf0,
    'root,shown,limits,manifest,store,pruning=,names*,bytes_read=,real=,following*,!ahead|post': _init_e25a7b925de5bd40,
    'rule,programs,error=': _init_2c41f906d7f3c12e,
    'rule,resource,message,waived_by=': _init_1ff907251e869a1f,
    'run,at,status': _init_166b9850b8a78b68,
    'run,at,status,failing_resources': _init_5c70332a16049f78,
    'run,columns': _init_ce3405d0f78e767d,
    'run,controls,requirements,evidence': _init_5a4e2aefb47e0ef0,
    'service,call,key,named_by,args*,inner=,within=,item_args*,by_marker=': _init_19b30e3bdb78acc6,
    'source,constants,code': _init_4cc14b7a3a232389,
    'start,end,reason,replacement=': _init_c8346a7b22a95d41,
    'start,end,runs,controls,evidence*': _init_9b0a0eff00cf869e,
    'status,coverage=,reason=,attestation_only=': _init_119c516970cf5e44,
    'steps=,memory=,milliseconds=|post': _init_7701ebf303e79d39,
    'value,source': _init_464d8e7f67c8f699,
    'values*,document=,diagnostics*': _init_e385dd237b00cb48,
    'wanted,limit,present*,pool*': _init_81f330961d7192f4,
    'whole*,reached*': _init_a40a4c9bff69ec9a,
    'whole,reached': _init_467db290829f7b86,
}
