"""Files to typed records: the only place where raw YAML becomes controls, frameworks, mappings and policies.

``documents`` turns YAML and pydantic errors into positioned diagnostics; ``controls``, ``frameworks``
and ``policies`` read one kind of file each; ``catalog`` checks them against each other; ``builtin``
finds the files that ship with assay; ``project`` loads everything a :class:`~assay.project.Project`
names.
"""
