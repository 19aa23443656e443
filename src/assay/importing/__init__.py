"""Reports other tools wrote, read back into assay's gap report (``assay report --from``).

Not a renderer and not a loader of assay's own inputs: a layer of its own, above :mod:`assay.gaps`
(whose :class:`~assay.gaps.Report` it builds) and beside :mod:`assay.render` (which then shows it).
"""
