"""The offline answerer: understand a question into a :class:`~assistant.offline.frame.Frame`,
then answer the frame deterministically from the core's tools and the reports' passages."""
