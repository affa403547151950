"""The Textual UI. Screens ask the study and bank layers; they hold no business logic."""
