"""The one search path the public page, the JSON API and the widget share: query-string
parameters → ``SearchRequest`` (``request``), the process's matcher index (``index``), a page of
results (``pages``), partner presets (``presets``) and the JSON shapes of results (``shapes``)."""
