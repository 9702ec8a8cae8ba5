"""Small pieces every app's views share. Not a Django app: no models, no URLs."""
