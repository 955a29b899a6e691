"""The ways listings enter the catalog: SAMHSA's national directories (``samhsa``, mapped by
``samhsa_mapping``, stored by ``store``, summarised by ``report``) and fictional demo data
(``demo``). Nothing here imports Flask."""
