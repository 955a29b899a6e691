"""What a listing's details mean to every audience: how its numbers dial (``phones``), whether
its availability still holds (``availability``), whether its weekly hours have it open now
(``hours``) and where each section came from and when it was last confirmed
(``provenance``). Plain rules over stored values; no Flask here."""
