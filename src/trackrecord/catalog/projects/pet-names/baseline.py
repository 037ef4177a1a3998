# Look the name up: the share of cats among the train pets with that exact name. Names
# train never saw get the overall share of cats.
is_cat = (train['species'] == 'cat').astype(float)
share = is_cat.groupby(train['animal_name']).mean()

submission = pd.DataFrame({'id': test['id']})
submission['species'] = test['animal_name'].map(share).fillna(is_cat.mean()).to_numpy()
