"""The running bot: settings, application assembly, delivery, the command line, the stand-in."""
