"""The ways listings enter the catalog: releases of SAMHSA's national directories (``samhsa``
reads and plans them, mapped by ``samhsa_mapping``, identified across releases by ``store``
with ``linkage``, ``zips`` and ``releases``, extra code lists by ``codes``, summarised by
``report``) and fictional demo data (``demo``). Nothing here imports Flask."""
