"""Export kinds: each module registers one (or a few) kinds with app.exports.registry at import."""
